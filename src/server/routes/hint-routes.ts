/**
 * Hints: the white cell helps a stuck team. A hint reaches the team's inbox as a message and costs
 * the scenario's hint penalty (or the `cost` given) — both written in one batch, durably, before
 * the answer, so a hint is never delivered without its cost or charged without being delivered.
 */
import type { Request } from 'express';
import { z } from 'zod';
import type { EngineEvent } from '../../engine/events/event-types';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import { type RouteGroup, requireTeam } from './route-context';

const hintBody = z
  .object({
    hint: z.string().trim().min(1).max(4000),
    inject: z.string().min(1).max(100).optional(),
    cost: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

export const hintRoutes: RouteGroup = (r, ctx) => {
  r.post('/teams/:team/hints', guard('exercise:control'), (req: Request, res) => {
    const team = String(req.params.team);
    requireTeam(ctx, team);
    const body = parseOr422(hintBody, req.body, 'body');
    if (body.inject !== undefined && !ctx.plan.injects.some((i) => i.id === body.inject))
      throw new ApiError('validation_failed', `no inject "${body.inject}"`, 'body.inject');
    const by = principalOf(res).label;
    const events = [
      { type: 'hint.given', team, payload: { ...body, by } },
      {
        type: 'message.delivered',
        team,
        payload: {
          inject: body.inject ?? 'hint',
          from: 'csirt',
          sender: 'White cell',
          subject: 'Hint',
          body: body.hint,
          attachments: [],
        },
      },
    ] as unknown as EngineEvent[];
    const [written] = ctx.write(events);
    res.status(201).json({ seq: written?.seq, team, ...body, by });
  });
};
