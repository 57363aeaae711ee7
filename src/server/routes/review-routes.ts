/**
 * The after-action review for the white cell: the review (or its state at scenario time `at`,
 * for replay), its exports, and the instructor's edits of the HSEEP summary (written to the log
 * as `review.edited` events). A team gets its own take-home report when the scenario shows teams
 * their breakdown (`scoring.showBreakdownToTeams`).
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { EngineEvent } from '../../engine/events/event-types';
import { buildReview, REVIEW_EDITED, reviewCsv, reviewHtml, reviewJson, reviewXapi } from '../../review';
import type { Review } from '../../review/review-types';
import type { ScoringEvent } from '../../scoring/scoring-events';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { type RouteContext, type RouteGroup, requireTeam } from './route-context';

const teamParam = (req: Request) => String(req.params.team);
const atQuery = z
  .object({
    at: z.coerce
      .number()
      .min(0)
      .max(10 * 365 * 86400)
      .optional(),
  })
  .passthrough();
const FORMATS = ['json', 'csv', 'html', 'xapi'] as const;
const rating = z.enum(['P', 'S', 'M', 'U']);
const line = z.string().trim().min(1).max(500);
const editBody = z
  .object({
    objective: z.string().min(1).max(100).optional(),
    team: z.string().min(1).max(64).optional(),
    rating: rating.optional(),
    strengths: z.array(line).max(50).optional(),
    improvements: z.array(line).max(50).optional(),
    notes: z.string().max(10_000).optional(),
  })
  .strict()
  .refine((b) => (b.objective === undefined) === (b.rating === undefined), {
    message: 'give an `objective` with its `rating`',
    path: ['rating'],
  });

function allEvents(ctx: RouteContext): ScoringEvent[] {
  const seen = new Map<number, ScoringEvent>();
  for (const t of ctx.plan.teams) for (const e of ctx.log.eventsOf(t.id)) seen.set(e.seq, e as ScoringEvent);
  return [...seen.values()].sort((a, b) => a.seq - b.seq);
}

function reviewAt(ctx: RouteContext, req: Request): Review {
  const { at } = parseOr422(atQuery, req.query, 'query');
  return buildReview(ctx.plan, allEvents(ctx), {
    session: ctx.session,
    now: ctx.log.scenarioNow(),
    ...(at !== undefined ? { at } : {}),
  });
}

function send(res: Response, review: Review, format: (typeof FORMATS)[number], name: string): void {
  const file = `${name}.${format === 'xapi' ? 'xapi.json' : format}`;
  res.setHeader('content-disposition', `attachment; filename="${file}"`);
  if (format === 'csv') res.type('text/csv').send(reviewCsv(review));
  else if (format === 'html') res.type('text/html').send(reviewHtml(review));
  else if (format === 'xapi') res.type('application/json').send(JSON.stringify(reviewXapi(review), null, 2));
  else res.type('application/json').send(reviewJson(review));
}

export const reviewRoutes: RouteGroup = (r, ctx) => {
  r.get('/review', guard('scoreboard:staff'), (req, res) => {
    res.json(reviewAt(ctx, req));
  });

  r.get('/review/export/:format', guard('scoreboard:staff'), (req, res) => {
    const format = String(req.params.format);
    if (!(FORMATS as readonly string[]).includes(format))
      throw new ApiError(
        'not_found',
        `no export "${format}" — use one of ${FORMATS.join(', ')}`,
        'params.format',
      );
    send(res, reviewAt(ctx, req), format as (typeof FORMATS)[number], `review-${ctx.session}`);
  });

  r.post('/review/summary', guard('team:grade'), (req, res) => {
    const edit = parseOr422(editBody, req.body, 'body');
    if (edit.objective && !ctx.plan.injects.some((i) => i.id === edit.objective && i.expectations.length))
      throw new ApiError('validation_failed', `no objective "${edit.objective}"`, 'body.objective');
    if (edit.team && !ctx.plan.teams.some((t) => t.id === edit.team))
      throw new ApiError('validation_failed', `no team "${edit.team}"`, 'body.team');
    const event = {
      type: REVIEW_EDITED,
      team: null,
      payload: { ...edit, by: principalOf(res).label },
    } as unknown as EngineEvent;
    const [written] = ctx.write([event]);
    res.status(201).json({ seq: written?.seq, ...edit });
  });

  r.get('/teams/:team/review', guard('team:read', teamParam), (req, res) => {
    const team = teamParam(req);
    const p = principalOf(res);
    requireTeam(ctx, team);
    if (p.role === 'team' && !ctx.plan.scoring.showBreakdownToTeams)
      throw new ApiError('forbidden', 'this scenario gives teams no take-home report');
    const full = reviewAt(ctx, req);
    const name = ctx.plan.teams.find((t) => t.id === team)!.name;
    const own: Review = {
      ...full,
      teams: full.teams.filter((t) => t.team === team),
      coverage: full.coverage.map((c) => ({ ...c, caught: { [team]: c.caught[team] ?? false } })),
      summary: {
        ...full.summary,
        objectives: full.summary.objectives.map((o) => ({
          ...o,
          ratings: { [team]: o.ratings[team]! },
          shares: { [team]: o.shares[team] ?? 0 },
        })),
        // Only the lines about this team (each starts with the team's name).
        strengths: full.summary.strengths.filter((l) => l.startsWith(`${name}: `)),
        improvements: full.summary.improvements.filter((l) => l.startsWith(`${name}: `)),
      },
    };
    const format = req.query.format === 'html' ? 'html' : 'json';
    if (format === 'html') send(res, own, 'html', `review-${team}`);
    else res.json(own);
  });
};
