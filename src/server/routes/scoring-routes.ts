/**
 * The scoreboard for the caller's audience, and grading by the white cell. A grade is written
 * as an `expectation.graded` event (a scoring event the engine's union does not list yet — see
 * docs/SCORING.md §10) with the grader's login as `grader`.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { EngineEvent } from '../../engine/events/event-types';
import { audienceOf } from '../access/principal';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { type RouteGroup, requireTeam } from './route-context';

const teamParam = (req: Request) => String(req.params.team);

const gradeBody = z
  .object({
    expectation: z.string().min(1).max(100),
    level: z.string().min(1).max(100).optional(),
    points: z.number().int().min(0).max(100_000).optional(),
    reason: z.string().trim().min(1).max(2000),
  })
  .strict()
  .refine((g) => (g.level === undefined) !== (g.points === undefined), {
    message: 'give either a rubric `level` or `points`',
    path: ['level'],
  });

export const scoringRoutes: RouteGroup = (r, ctx) => {
  r.get('/scoreboard', guard('scoreboard:public'), (_req, res) => {
    res.json(ctx.keeper.board(audienceOf(principalOf(res))));
  });

  r.post('/teams/:team/grades', guard('team:grade', teamParam), (req, res) => {
    const team = teamParam(req);
    requireTeam(ctx, team);
    const grade = parseOr422(gradeBody, req.body, 'body');
    const expectation = ctx.plan.injects
      .flatMap((i) => i.expectations)
      .find((x) => x.id === grade.expectation);
    if (!expectation) {
      throw new ApiError('validation_failed', `no expectation "${grade.expectation}"`, 'body.expectation');
    }
    if (expectation.type !== 'manual') {
      throw new ApiError(
        'validation_failed',
        `${expectation.id} is scored automatically, not graded`,
        'body.expectation',
      );
    }
    if (grade.level !== undefined && !expectation.rubric?.some((l) => l.level === grade.level)) {
      throw new ApiError(
        'validation_failed',
        `no rubric level "${grade.level}" in ${expectation.id}`,
        'body.level',
      );
    }
    const event = {
      type: 'expectation.graded',
      team,
      payload: { ...grade, grader: principalOf(res).label },
    } as unknown as EngineEvent;
    const [written] = ctx.write([event]);
    res.status(201).json({ seq: written?.seq, team, ...grade });
  });
};
