/**
 * The OpenAPI 3.1 document served at `/api/openapi.json`. Request bodies that the server
 * validates with zod are converted from the same schemas, so the document cannot drift from
 * the validation.
 */
import { z } from 'zod';
import { actionInputSchema } from '../wire/actions';
import { ERROR_CODES } from '../wire/errors';
import { reportInputSchema } from '../wire/report';
import { ROLES } from '../wire/roles';
import { investigationPaths, investigationSchemas } from './investigation/investigation-openapi';

type Json = Record<string, unknown>;

const errorRef = { $ref: '#/components/schemas/Error' };

function responses(ok: Json, ...codes: number[]): Json {
  const out: Json = { ...ok };
  for (const c of codes)
    out[String(c)] = { description: 'error', content: { 'application/json': { schema: errorRef } } };
  return out;
}

const json = (description: string, schema: Json = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});

const team = { name: 'team', in: 'path', required: true, schema: { type: 'string' } };
const AUTH = [401, 403, 404];
const AT = { name: 'at', in: 'query', required: false, schema: { type: 'number', minimum: 0 } };
const WRITE = [400, 401, 403, 404, 413, 415, 422];

function op(summary: string, roles: string, ok: Json, codes: number[], extra: Json = {}): Json {
  return { summary, description: `Roles: ${roles}.`, responses: responses(ok, ...codes), ...extra };
}

export function openApiDocument(): Json {
  const report = z.toJSONSchema(reportInputSchema, { io: 'input' }) as Json;
  delete report.$schema;
  return {
    openapi: '3.1.0',
    info: { title: 'cyrange exercise API', version: '0.1.0', description: 'See docs/API.md.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cyrange_sid' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { enum: [...ERROR_CODES] },
                message: { type: 'string' },
                field: { type: 'string' },
              },
            },
          },
        },
        ReportInput: report,
        Role: { enum: [...ROLES] },
        ...investigationSchemas(),
      },
    },
    security: [{ session: [] }],
    paths: {
      ...investigationPaths(),
      '/api/health': { get: op('liveness', 'anyone', { 200: json('ok') }, [], { security: [] }) },
      '/api/openapi.json': {
        get: op('this document', 'anyone', { 200: json('the document') }, [], { security: [] }),
      },
      '/api/auth/join': {
        post: op(
          'exchange a join token for a session cookie',
          'anyone (rate-limited)',
          { 200: json('Me') },
          [400, 401, 413, 415, 422, 429],
          {
            security: [],
            requestBody: json('token', {
              type: 'object',
              required: ['token'],
              properties: { token: { type: 'string' }, name: { type: 'string', maxLength: 64 } },
            }),
          },
        ),
      },
      '/api/auth/logout': {
        post: op('end this login', 'any logged-in', { 204: { description: 'done' } }, [401, 403]),
      },
      '/api/me': { get: op('who am I, and my CSRF token', 'any logged-in', { 200: json('Me') }, [401]) },
      '/api/links': {
        get: op('list join links', 'controller', { 200: json('links') }, AUTH),
        post: op(
          'create a join link (token shown once)',
          'controller',
          { 201: json('CreatedJoinLink') },
          WRITE,
          {
            requestBody: json('link', {
              type: 'object',
              required: ['role'],
              properties: {
                role: { $ref: '#/components/schemas/Role' },
                team: { type: 'string' },
                label: { type: 'string' },
                ttlHours: { type: 'number' },
              },
            }),
          },
        ),
      },
      '/api/links/{id}': {
        delete: op(
          'revoke a join link and its logins',
          'controller',
          { 204: { description: 'revoked' } },
          AUTH,
          {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          },
        ),
      },
      '/api/teams': {
        get: op(
          'teams visible to the caller',
          'controller, evaluator, team (own)',
          { 200: json('teams') },
          [401, 403],
        ),
      },
      '/api/teams/{team}/inbox': {
        get: op(
          'messages delivered by injects',
          'controller, evaluator, team (own)',
          { 200: json('messages') },
          AUTH,
          { parameters: [team] },
        ),
      },
      '/api/teams/{team}/inbox/{id}/attachments/{index}': {
        get: op(
          'an attachment, as a download',
          'controller, evaluator, team (own)',
          { 200: { description: 'bytes' } },
          [...AUTH, 422],
          {
            parameters: [
              team,
              { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
              { name: 'index', in: 'path', required: true, schema: { type: 'integer' } },
            ],
          },
        ),
      },
      '/api/teams/{team}/events': {
        get: op(
          "the team's own activity (staff: every event of the team)",
          'controller, evaluator, team (own)',
          { 200: json('events') },
          [...AUTH, 422],
          {
            parameters: [
              team,
              { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
              { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            ],
          },
        ),
      },
      '/api/teams/{team}/reports': {
        get: op('submitted reports', 'controller, evaluator, team (own)', { 200: json('reports') }, AUTH, {
          parameters: [team],
        }),
        post: op(
          'submit an incident report (durable before 201)',
          'team (own)',
          { 201: json('report'), 200: json('retried: the stored report') },
          WRITE,
          {
            parameters: [team, { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
            requestBody: json('report', { $ref: '#/components/schemas/ReportInput' }),
          },
        ),
      },
      '/api/teams/{team}/score': {
        get: op(
          "the team's score (breakdown when allowed)",
          'controller, evaluator, team (own)',
          { 200: json('TeamScoreView') },
          AUTH,
          { parameters: [team] },
        ),
      },
      '/api/teams/{team}/grades': {
        post: op('grade a manual expectation', 'controller, evaluator', { 201: json('grade') }, WRITE, {
          parameters: [team],
          requestBody: json('grade', {
            type: 'object',
            required: ['expectation', 'reason'],
            properties: {
              expectation: { type: 'string' },
              level: { type: 'string' },
              points: { type: 'integer' },
              reason: { type: 'string' },
            },
          }),
        }),
      },
      '/api/teams/{team}/actions': {
        get: op(
          "the team's response actions, each with its result and any undo",
          'controller, evaluator, team (own)',
          { 200: json('{ actions: ActionView[] }') },
          AUTH,
          { parameters: [team] },
        ),
        post: op(
          "take a response action on the team's range (isolate, block, disable, kill, restore, collect evidence); answered once recorded",
          'team (own)',
          { 201: json('{ action: ActionView }') },
          [...WRITE, 409],
          {
            parameters: [team],
            requestBody: json('action', z.toJSONSchema(actionInputSchema, { io: 'input' }) as Json),
          },
        ),
      },
      '/api/teams/{team}/actions/{id}/undo': {
        post: op(
          'undo a response action with its reverse (recorded with who and why)',
          'controller',
          { 200: json('{ action: ActionView }') },
          [...WRITE, 409],
          {
            parameters: [team, { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
            requestBody: json('why', {
              type: 'object',
              required: ['reason'],
              properties: { reason: { type: 'string' } },
            }),
          },
        ),
      },
      '/api/exercise/clock': {
        post: op(
          'start, pause, resume or stop the exercise clock, or change its speed',
          'controller',
          { 200: json('clock') },
          [...WRITE, 409, 503],
          {
            requestBody: json('verb', {
              type: 'object',
              required: ['action'],
              properties: {
                action: { enum: ['start', 'pause', 'resume', 'stop', 'speed'] },
                speed: { type: 'number' },
              },
            }),
          },
        ),
      },
      '/api/exercise/injects/{inject}/{verb}': {
        post: op(
          'fire an inject now or skip it, for one team or all',
          'controller',
          { 202: json('accepted') },
          [...WRITE, 409, 503],
          {
            parameters: [
              { name: 'inject', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'verb', in: 'path', required: true, schema: { enum: ['fire', 'skip'] } },
            ],
            requestBody: json('who and why', {
              type: 'object',
              required: ['reason'],
              properties: { team: { type: 'string' }, reason: { type: 'string' } },
            }),
          },
        ),
      },
      '/api/review': {
        get: op(
          'the after-action review (per-team timelines, time to detect/respond, coverage, HSEEP summary); `at` replays the state at that scenario second',
          'controller, evaluator',
          { 200: json('Review') },
          [...AUTH, 422],
          { parameters: [AT] },
        ),
      },
      '/api/review/export/{format}': {
        get: op(
          'the review as a download: JSON, CSV, a self-contained HTML report or xAPI statements',
          'controller, evaluator',
          { 200: { description: 'the file (application/json, text/csv or text/html)' } },
          [...AUTH, 422],
          {
            parameters: [
              {
                name: 'format',
                in: 'path',
                required: true,
                schema: { enum: ['json', 'csv', 'html', 'xapi'] },
              },
              AT,
            ],
          },
        ),
      },
      '/api/review/summary': {
        post: op(
          "edit the HSEEP summary (an objective's rating, strengths, areas for improvement, notes); stored as a `review.edited` event",
          'controller, evaluator',
          { 201: json('the edit') },
          WRITE,
          {
            requestBody: json('edit', {
              type: 'object',
              properties: {
                objective: { type: 'string' },
                team: { type: 'string' },
                rating: { enum: ['P', 'S', 'M', 'U'] },
                strengths: { type: 'array', items: { type: 'string' } },
                improvements: { type: 'array', items: { type: 'string' } },
                notes: { type: 'string' },
              },
            }),
          },
        ),
      },
      '/api/teams/{team}/review': {
        get: op(
          "the team's own take-home review (`format=html` for the report), when the scenario shows teams their breakdown",
          'controller, evaluator, team (own, when allowed)',
          { 200: json('Review') },
          [...AUTH, 422],
          {
            parameters: [
              team,
              AT,
              { name: 'format', in: 'query', required: false, schema: { enum: ['json', 'html'] } },
            ],
          },
        ),
      },
      '/api/exercise/msel': {
        get: op(
          "every inject with each team's state of it (pending, fired, succeeded, failed, skipped) and when it is next due",
          'controller, evaluator',
          { 200: json('MselView') },
          AUTH,
        ),
      },
      '/api/teams/{team}/overrides': {
        post: op(
          "set an expectation's points by hand, with a reason (writes expectation.overridden)",
          'controller',
          { 201: json('override') },
          WRITE,
          {
            parameters: [team],
            requestBody: json('override', {
              type: 'object',
              required: ['expectation', 'points', 'reason'],
              properties: {
                expectation: { type: 'string' },
                points: { type: 'integer' },
                reason: { type: 'string' },
              },
            }),
          },
        ),
      },
      '/api/teams/{team}/hints': {
        post: op(
          'give a team a hint: delivered to its inbox, costs the hint penalty (writes hint.given)',
          'controller',
          { 201: json('hint') },
          WRITE,
          {
            parameters: [team],
            requestBody: json('hint', {
              type: 'object',
              required: ['hint'],
              properties: {
                hint: { type: 'string' },
                inject: { type: 'string' },
                cost: { type: 'integer' },
              },
            }),
          },
        ),
      },
      '/api/range/teardown': {
        post: op(
          'remove the live range (containers, networks, volumes) by its labels; the clock must not be running; written to the event log',
          'controller',
          { 200: json('TeardownResult: exercise, containers, networks, volumes, ms') },
          [...WRITE, 409, 503],
          {
            requestBody: json('confirmation: the exercise id', {
              type: 'object',
              required: ['confirm'],
              properties: { confirm: { type: 'string' } },
            }),
          },
        ),
      },
      '/api/range/health': {
        get: op(
          "the range's health: the engine's connection, every live host's state per team (running, unhealthy, stopped, restarting, missing), simulated and isolated host counts",
          'controller, evaluator',
          { 200: json('RangeHealthView') },
          [401, 403],
        ),
      },
      '/api/range/hosts/{team}/{host}/restore': {
        post: op(
          'recreate one live host from its image (the lifecycle `up` uses); written to the event log as range.host.restored',
          'controller',
          { 200: json('HostRestoreResult: team, host, ok, detail') },
          [...AUTH, 409, 422, 503],
          { parameters: [team, { name: 'host', in: 'path', required: true, schema: { type: 'string' } }] },
        ),
      },
      '/api/scoreboard/freeze': {
        post: op('freeze or unfreeze the public scoreboard', 'controller', { 200: json('frozen') }, WRITE, {
          requestBody: json('freeze', {
            type: 'object',
            required: ['frozen', 'reason'],
            properties: { frozen: { type: 'boolean' }, reason: { type: 'string' } },
          }),
        }),
      },
      '/api/scoreboard': {
        get: op(
          "the scoreboard for the caller's audience",
          'any logged-in',
          { 200: json('ScoreboardView') },
          [401],
        ),
      },
    },
  };
}
