/**
 * A team's data: inbox, reports, activity and score. Team members reach only their own team
 * (`guard` answers 404 for any other); the white cell reads every team. A report is written to
 * the event log — durably, fsynced — before the 201 is sent.
 */
import type { Request } from 'express';
import { z } from 'zod';
import { reportInputSchema, type SubmittedReport } from '../../wire/report';
import { isStaff } from '../../wire/roles';
import { attachment, inbox, reports, teamFeed } from '../exercise/team-data';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { type RouteGroup, requireTeam } from './route-context';

const teamParam = (req: Request) => String(req.params.team);
const seqParam = z.object({
  team: z.string(),
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
const attachmentParam = seqParam.extend({ index: z.coerce.number().int().min(0).max(1000) });
const feedQuery = z
  .object({
    after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, '8–100 letters, digits, _ . : -');

export const teamRoutes: RouteGroup = (r, ctx) => {
  r.get('/teams', guard('scoreboard:public'), (_req, res) => {
    const p = principalOf(res);
    const visible = ctx.plan.teams.filter((t) => isStaff(p.role) || t.id === p.team);
    res.json({ teams: visible.map((t) => ({ id: t.id, name: t.name })) });
  });

  r.get('/teams/:team/inbox', guard('team:read', teamParam), (req, res) => {
    requireTeam(ctx, teamParam(req));
    res.json({ messages: inbox(ctx.log.eventsOf(teamParam(req))) });
  });

  r.get('/teams/:team/inbox/:id/attachments/:index', guard('team:read', teamParam), (req, res) => {
    requireTeam(ctx, teamParam(req));
    const { id, index } = parseOr422(attachmentParam, req.params, 'params');
    const a = attachment(ctx.log.eventsOf(teamParam(req)), id, index);
    if (!a) throw new ApiError('not_found', `no attachment ${index} in message ${id}`, 'params.index');
    // Served as a download, as plain bytes: never rendered by the browser as our page.
    res.setHeader('Content-Disposition', `attachment; filename="${a.name.replace(/[^\w.-]/g, '_')}"`);
    res.type('application/octet-stream').send(Buffer.from(a.content, 'utf8'));
  });

  r.get('/teams/:team/events', guard('team:read', teamParam), (req, res) => {
    requireTeam(ctx, teamParam(req));
    const q = parseOr422(feedQuery, req.query, 'query');
    const staff = isStaff(principalOf(res).role);
    res.json({ events: teamFeed(ctx.log.eventsOf(teamParam(req)), staff, q.after, q.limit) });
  });

  r.get('/teams/:team/reports', guard('team:read', teamParam), (req, res) => {
    requireTeam(ctx, teamParam(req));
    res.json({ reports: reports(ctx.log.eventsOf(teamParam(req)), teamParam(req)) });
  });

  r.post('/teams/:team/reports', guard('team:write', teamParam), (req, res) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const report = parseOr422(reportInputSchema, req.body, 'body');
    const header = req.headers['idempotency-key'];
    if (header !== undefined && !idempotencyKey.safeParse(header).success) {
      throw new ApiError(
        'validation_failed',
        'Idempotency-Key: 8–100 letters, digits, _ . : -',
        'header.idempotency-key',
      );
    }
    const key = typeof header === 'string' ? `${ctx.session}/report/${team}/${header}` : undefined;
    const [written] = ctx.write([
      {
        type: 'report.submitted',
        team,
        ...(key ? { key } : {}),
        payload: {
          actor: principalOf(res).label,
          kind: report.kind,
          body: JSON.stringify(report),
          indicators: report.indicators,
        },
      },
    ]);
    // A retried submission (same Idempotency-Key) answers 200 with the report already stored.
    const events = ctx.log.eventsOf(team);
    const event = written
      ? events.find((e) => e.seq === written.seq)
      : events.find((e) => key && e.key === key);
    const stored = event ? reports([event], team)[0] : undefined;
    if (!stored) throw new ApiError('internal', 'report written but not found in the log');
    res.status(written ? 201 : 200).json({ report: stored satisfies SubmittedReport });
  });

  r.get('/teams/:team/score', guard('team:read', teamParam), (req, res) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const view = ctx.keeper.teamScore(team, isStaff(principalOf(res).role) ? 'staff' : 'team');
    if (!view) throw new ApiError('not_found', `no team "${team}"`, 'params.team');
    res.json(view);
  });
};
