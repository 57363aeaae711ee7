/**
 * The controller runs the exercise: the clock (start, pause, resume, stop, speed), manual
 * injects (fire now, skip), and the public scoreboard's freeze. Every verb is recorded in the
 * event log with who did it; a verb the exercise's state does not allow is a 409 with why.
 */
import { z } from 'zod';
import type { EngineEvent } from '../../engine/events/event-types';
import type { ExerciseControl } from '../exercise/exercise-control';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import type { RouteContext, RouteGroup } from './route-context';

const reason = z.string().trim().min(1).max(500);
const clockBody = z
  .object({
    action: z.enum(['start', 'pause', 'resume', 'stop', 'speed']),
    speed: z.number().positive().max(100_000).optional(),
  })
  .strict()
  .refine((b) => b.action !== 'speed' || b.speed !== undefined, { message: 'give `speed`', path: ['speed'] });
const injectBody = z.object({ team: z.string().min(1).max(64).optional(), reason }).strict();
const injectParams = z.object({ inject: z.string().min(1).max(100), verb: z.enum(['fire', 'skip']) });
const freezeBody = z.object({ frozen: z.boolean(), reason }).strict();

function control(ctx: RouteContext): ExerciseControl {
  if (!ctx.control) throw new ApiError('unavailable', 'this server follows the exercise but does not run it');
  return ctx.control;
}

/** Runs a verb; the runner's refusals (wrong state) become 409s carrying its message. */
async function verb(fn: () => void | Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('conflict', (e as Error).message);
  }
}

export const controlRoutes: RouteGroup = (r, ctx) => {
  r.post('/exercise/clock', guard('exercise:control'), async (req, res) => {
    const body = parseOr422(clockBody, req.body, 'body');
    const c = control(ctx);
    await verb(() => {
      switch (body.action) {
        case 'start':
          return c.start(body.speed);
        case 'pause':
          return c.pause();
        case 'resume':
          return c.resume();
        case 'stop':
          return c.stop();
        case 'speed':
          return c.setSpeed(body.speed!);
      }
    });
    ctx.log.catchUp();
    const clock = ctx.log.state.clock;
    res.json({ status: clock.status, compression: clock.compression, scenarioTime: ctx.log.scenarioNow() });
  });

  r.post('/exercise/injects/:inject/:verb', guard('exercise:control'), async (req, res) => {
    const { inject, verb: action } = parseOr422(injectParams, req.params, 'params');
    const body = parseOr422(injectBody, req.body, 'body');
    if (!ctx.plan.injects.some((i) => i.id === inject)) {
      throw new ApiError('not_found', `no inject "${inject}" in this scenario`, 'params.inject');
    }
    if (body.team !== undefined && !ctx.plan.teams.some((t) => t.id === body.team)) {
      throw new ApiError('validation_failed', `no team "${body.team}"`, 'body.team');
    }
    const c = control(ctx);
    const by = principalOf(res).label;
    await verb(() =>
      (action === 'fire' ? c.fire : c.skip).call(c, body.team ?? null, inject, by, body.reason),
    );
    ctx.log.catchUp();
    res.status(202).json({ inject, action, team: body.team ?? null });
  });

  r.post('/scoreboard/freeze', guard('exercise:control'), (req, res) => {
    const body = parseOr422(freezeBody, req.body, 'body');
    const event = {
      type: body.frozen ? 'score.frozen' : 'score.unfrozen',
      team: null,
      payload: { by: principalOf(res).label, reason: body.reason },
    } as unknown as EngineEvent;
    ctx.write([event]);
    res.json({ frozen: ctx.keeper.board('public').frozen });
  });
};
