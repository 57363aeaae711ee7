/**
 * The investigation routes' part of the OpenAPI document (merged into src/server/openapi.ts):
 * telemetry search, hosts, alerts, drafts and attachments. Request bodies are converted from the
 * zod schemas the routes validate with.
 */
import { z } from 'zod';
import {
  attachmentInputSchema,
  draftInputSchema,
  SEARCH_LIMITS,
  telemetrySearchSchema,
} from '../../wire/investigation';

type Json = Record<string, unknown>;

const errorRef = { $ref: '#/components/schemas/Error' };
const READ = [401, 403, 404, 422];
const WRITE = [400, 401, 403, 404, 413, 415, 422];
const TEAM_READ = 'controller, evaluator, team (own)';
const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const team = path('team');

const json = (description: string, schema: Json = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});

function op(summary: string, roles: string, ok: Json, codes: number[], extra: Json = {}): Json {
  const responses: Json = { ...ok };
  for (const c of codes)
    responses[String(c)] = { description: 'error', content: { 'application/json': { schema: errorRef } } };
  return { summary, description: `Roles: ${roles}.`, responses, ...extra };
}

function schemaOf(s: z.ZodType): Json {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

export function investigationSchemas(): Json {
  return {
    TelemetrySearch: schemaOf(telemetrySearchSchema),
    DraftInput: schemaOf(draftInputSchema),
    AttachmentInput: schemaOf(attachmentInputSchema),
  };
}

export function investigationPaths(): Json {
  const q = (name: string, schema: Json) => ({ name, in: 'query', schema });
  return {
    '/api/teams/{team}/telemetry/search': {
      get: op(
        "search the team's telemetry (query string; filters as filter.FIELD=value)",
        TEAM_READ,
        { 200: json('TelemetrySearchResult') },
        READ,
        {
          parameters: [
            team,
            q('from', { type: ['integer', 'string'] }),
            q('to', { type: ['integer', 'string'] }),
            q('text', { type: 'string', maxLength: SEARCH_LIMITS.maxTextLength }),
            q('limit', { type: 'integer', minimum: 1, maximum: SEARCH_LIMITS.maxPageSize }),
            q('cursor', { type: 'string' }),
            q('interval', { type: 'integer', minimum: 60_000 }),
          ],
        },
      ),
      post: op("search the team's telemetry", TEAM_READ, { 200: json('TelemetrySearchResult') }, WRITE, {
        parameters: [team],
        requestBody: json('query', { $ref: '#/components/schemas/TelemetrySearch' }),
      }),
    },
    '/api/teams/{team}/hosts': {
      get: op(
        "the organisation's hosts grouped by segment and role, paged, with state",
        TEAM_READ,
        { 200: json('HostInventory') },
        READ,
        {
          parameters: [
            team,
            q('segment', { type: 'string' }),
            q('role', { type: 'string' }),
            q('q', { type: 'string' }),
            q('state', { enum: ['up', 'isolated', 'restored'] }),
            q('limit', { type: 'integer', minimum: 1, maximum: 500 }),
            q('cursor', { type: 'string' }),
          ],
        },
      ),
    },
    '/api/teams/{team}/hosts/{host}': {
      get: op('one host with its recent activity and alerts', TEAM_READ, { 200: json('HostDetail') }, READ, {
        parameters: [team, path('host')],
      }),
    },
    '/api/teams/{team}/alerts': {
      get: op(
        "SOC/IDS alerts raised on the team's telemetry",
        TEAM_READ,
        { 200: json('{ alerts: AlertView[] }') },
        READ,
        {
          parameters: [
            team,
            q('after', { type: 'integer', minimum: 0 }),
            q('limit', { type: 'integer', minimum: 1, maximum: 1000 }),
            q('severity', { enum: ['low', 'medium', 'high', 'critical'] }),
            q('rule', { type: 'string' }),
          ],
        },
      ),
    },
    '/api/teams/{team}/drafts': {
      get: op('report drafts', TEAM_READ, { 200: json('{ drafts: ReportDraft[] }') }, READ, {
        parameters: [team],
      }),
      post: op('save a new draft', 'team (own)', { 201: json('{ draft }') }, [...WRITE, 409], {
        parameters: [team],
        requestBody: json('draft', { $ref: '#/components/schemas/DraftInput' }),
      }),
    },
    '/api/teams/{team}/drafts/{draft}': {
      get: op('one draft', TEAM_READ, { 200: json('{ draft }') }, READ, {
        parameters: [team, path('draft')],
      }),
      put: op(
        'replace a draft (If-Match: the revision read)',
        'team (own)',
        { 200: json('{ draft }') },
        [...WRITE, 409],
        {
          parameters: [team, path('draft'), { name: 'If-Match', in: 'header', schema: { type: 'string' } }],
          requestBody: json('draft', { $ref: '#/components/schemas/DraftInput' }),
        },
      ),
      delete: op('delete a draft', 'team (own)', { 204: { description: 'deleted' } }, WRITE, {
        parameters: [team, path('draft')],
      }),
    },
    '/api/teams/{team}/drafts/{draft}/submit': {
      post: op(
        'submit a draft as a report (durable before 201; again: 200 and the stored report)',
        'team (own)',
        { 201: json('{ report, attachments }'), 200: json('already submitted') },
        WRITE,
        { parameters: [team, path('draft')] },
      ),
    },
    '/api/teams/{team}/attachments': {
      get: op('uploaded attachments', TEAM_READ, { 200: json('{ attachments: AttachmentInfo[] }') }, READ, {
        parameters: [team],
      }),
      post: op(
        'upload an attachment (base64, type-checked, at most 40 KiB)',
        'team (own)',
        { 201: json('{ attachment }') },
        [...WRITE, 409],
        {
          parameters: [team],
          requestBody: json('attachment', { $ref: '#/components/schemas/AttachmentInput' }),
        },
      ),
    },
    '/api/teams/{team}/attachments/{attachment}': {
      get: op('an uploaded attachment, as a download', TEAM_READ, { 200: { description: 'bytes' } }, READ, {
        parameters: [team, path('attachment')],
      }),
    },
  };
}
