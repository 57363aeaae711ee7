/**
 * Report drafts and attachments of a team. Drafts are saved, updated (with `If-Match: REVISION`
 * against lost updates between teammates), listed and submitted: a submission validates the
 * draft as a full report and appends `report.submitted` (fsynced before the answer), keyed by
 * the draft's id and revision so a retried submit answers 200 with the stored report.
 * Attachments are uploaded as base64 JSON, checked for size and that the bytes are what the
 * declared type says, stored in SQLite, and downloadable by the same team (and the white cell).
 */
import type { Request } from 'express';
import { z } from 'zod';
import {
  type ATTACHMENT_TYPES,
  attachmentInputSchema,
  DRAFT_LIMITS,
  draftInputSchema,
} from '../../wire/investigation';
import { reportInputSchema, type SubmittedReport } from '../../wire/report';
import { reports } from '../exercise/team-data';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import type { DraftStore } from '../investigation/draft-store';
import type { RouteGroup } from './route-context';

const teamParam = (req: Request) => String(req.params.team);
const draftId = z.string().regex(/^d-[0-9a-f]{12}$/, 'a draft id like d-0123456789ab');
const attachmentId = z.string().regex(/^a-[0-9a-f]{12}$/, 'an attachment id like a-0123456789ab');
const ifMatch = z.string().regex(/^"?\d{1,9}"?$/, 'the draft revision you read, e.g. 3');

type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Whether the bytes are what the declared content type says (never trust the name). */
export function contentMatches(type: AttachmentType, bytes: Buffer): boolean {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  switch (type) {
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'application/pdf':
      return starts(0x25, 0x50, 0x44, 0x46, 0x2d);
    case 'application/vnd.tcpdump.pcap':
      return (
        starts(0xd4, 0xc3, 0xb2, 0xa1) || starts(0xa1, 0xb2, 0xc3, 0xd4) || starts(0x0a, 0x0d, 0x0d, 0x0a)
      );
    default: {
      if (bytes.includes(0)) return false;
      const text = new TextDecoder('utf-8', { fatal: true });
      let s: string;
      try {
        s = text.decode(bytes);
      } catch {
        return false;
      }
      if (type !== 'application/json') return true;
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    }
  }
}

export const draftRoutes: RouteGroup = (r, ctx) => {
  const store = (): DraftStore => {
    if (!ctx.drafts) throw new ApiError('unavailable', 'this server keeps no drafts');
    return ctx.drafts;
  };
  const team = (req: Request) => {
    const t = teamParam(req);
    if (!ctx.plan.teams.some((x) => x.id === t))
      throw new ApiError('not_found', `no team "${t}"`, 'params.team');
    return t;
  };
  const draftOf = (req: Request) => {
    const t = team(req);
    const id = parseOr422(z.object({ draft: draftId }), { draft: req.params.draft }, 'params').draft;
    const d = store().get(t, id);
    if (!d) throw new ApiError('not_found', `no draft "${id}"`, 'params.draft');
    return { t, d };
  };

  r.get('/teams/:team/drafts', guard('team:read', teamParam), (req, res) => {
    res.json({ drafts: store().list(team(req)) });
  });

  r.post('/teams/:team/drafts', guard('team:write', teamParam), (req, res) => {
    const t = team(req);
    const body = parseOr422(draftInputSchema, req.body, 'body');
    if (store().count(t) >= DRAFT_LIMITS.maxDraftsPerTeam)
      throw new ApiError(
        'conflict',
        `at most ${DRAFT_LIMITS.maxDraftsPerTeam} drafts per team — delete or submit one`,
      );
    res.status(201).json({ draft: store().create(t, body, principalOf(res).label, ctx.now()) });
  });

  r.get('/teams/:team/drafts/:draft', guard('team:read', teamParam), (req, res) => {
    res.json({ draft: draftOf(req).d });
  });

  r.put('/teams/:team/drafts/:draft', guard('team:write', teamParam), (req, res) => {
    const { t, d } = draftOf(req);
    const body = parseOr422(draftInputSchema, req.body, 'body');
    const header = req.headers['if-match'];
    let expected: number | undefined;
    if (header !== undefined) {
      if (!ifMatch.safeParse(header).success)
        throw new ApiError(
          'validation_failed',
          'If-Match: the draft revision you read, e.g. 3',
          'header.if-match',
        );
      expected = Number(String(header).replace(/"/g, ''));
    }
    const updated = store().update(t, d.id, body, principalOf(res).label, ctx.now(), expected);
    if (updated === undefined) throw new ApiError('not_found', `no draft "${d.id}"`, 'params.draft');
    if (updated === 'conflict') {
      const now = store().get(t, d.id);
      throw new ApiError(
        'conflict',
        now?.submittedReport !== undefined
          ? 'the draft was submitted — it cannot change any more'
          : `the draft is at revision ${now?.revision} (you sent If-Match ${expected}) — reload it and merge`,
      );
    }
    res.json({ draft: updated });
  });

  r.delete('/teams/:team/drafts/:draft', guard('team:write', teamParam), (req, res) => {
    const { t, d } = draftOf(req);
    store().remove(t, d.id);
    res.status(204).end();
  });

  r.post('/teams/:team/drafts/:draft/submit', guard('team:write', teamParam), (req, res) => {
    const { t, d } = draftOf(req);
    const report = parseOr422(reportInputSchema, d.body, 'body');
    const key = `${ctx.session}/report/${t}/draft/${d.id}`;
    const [written] = ctx.write([
      {
        type: 'report.submitted',
        team: t,
        key,
        payload: {
          actor: principalOf(res).label,
          kind: report.kind,
          body: JSON.stringify({ ...report, attachments: d.attachments }),
          indicators: report.indicators,
        },
      },
    ]);
    const event = ctx.log.eventsOf(t).find((e) => (written ? e.seq === written.seq : e.key === key));
    const stored = event ? reports([event], t)[0] : undefined;
    if (!event || !stored) throw new ApiError('internal', 'report written but not found in the log');
    store().markSubmitted(t, d.id, event.seq);
    res
      .status(written ? 201 : 200)
      .json({ report: stored satisfies SubmittedReport, attachments: d.attachments });
  });

  r.get('/teams/:team/attachments', guard('team:read', teamParam), (req, res) => {
    res.json({ attachments: store().attachments(team(req)) });
  });

  r.post('/teams/:team/attachments', guard('team:write', teamParam), (req, res) => {
    const t = team(req);
    const input = parseOr422(attachmentInputSchema, req.body, 'body');
    const bytes = Buffer.from(input.content, 'base64');
    if (bytes.length > DRAFT_LIMITS.maxAttachmentBytes)
      throw new ApiError(
        'payload_too_large',
        `body.content: ${bytes.length} bytes — at most ${DRAFT_LIMITS.maxAttachmentBytes}`,
        'body.content',
      );
    if (!contentMatches(input.contentType, bytes))
      throw new ApiError(
        'validation_failed',
        `body.content: the bytes are not ${input.contentType} — declare the type they are`,
        'body.content',
      );
    if (input.draft !== undefined && !store().get(t, input.draft))
      throw new ApiError('validation_failed', `body.draft: no draft "${input.draft}"`, 'body.draft');
    if (store().attachmentCount(t) >= DRAFT_LIMITS.maxAttachmentsPerTeam)
      throw new ApiError('conflict', `at most ${DRAFT_LIMITS.maxAttachmentsPerTeam} attachments per team`);
    const info = store().addAttachment(
      t,
      {
        name: input.name,
        contentType: input.contentType,
        content: bytes,
        ...(input.draft ? { draft: input.draft } : {}),
      },
      principalOf(res).label,
      ctx.now(),
    );
    res.status(201).json({ attachment: info });
  });

  r.get('/teams/:team/attachments/:attachment', guard('team:read', teamParam), (req, res) => {
    const t = team(req);
    const id = parseOr422(
      z.object({ attachment: attachmentId }),
      { attachment: req.params.attachment },
      'params',
    ).attachment;
    const a = store().attachmentContent(t, id);
    if (!a) throw new ApiError('not_found', `no attachment "${id}"`, 'params.attachment');
    // A download, never rendered as our page: the type is checked at upload, served as bytes.
    res.setHeader('Content-Disposition', `attachment; filename="${a.info.name.replace(/[^\w.-]/g, '_')}"`);
    res.setHeader('X-Content-SHA256', a.info.sha256);
    res.type('application/octet-stream').send(a.content);
  });
};
