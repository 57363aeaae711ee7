/**
 * Teardown from the controller console: `POST /api/range/teardown { confirm }` removes the live
 * range by its labels through the range layer, writes what was removed to the event log, and
 * answers the counts. The body must repeat the exercise id (the console's confirmation dialog
 * asks for it), and the clock must not be running: the exercise itself (log, board, review)
 * stays and is served on.
 */
import { z } from 'zod';
import type { EngineEvent } from '../../engine/events/event-types';
import type { DownResult } from '../../range/lifecycle/range-down';
import type { TeardownResult } from '../../wire/setup';
import { ApiError, parseOr422 } from '../http/api-error';
import { guard, principalOf } from '../http/authenticate';
import type { RouteGroup } from '../routes/route-context';
import { failureText } from './launcher';

/** The live range of the served exercise, as the teardown route needs it. */
export interface RangeTeardown {
  exercise: string;
  /** Removes every container, network and volume labelled with the exercise (safe twice). */
  down(): Promise<DownResult>;
}

const body = z.object({ confirm: z.string().max(64) }).strict();

export const teardownRoutes: RouteGroup = (r, ctx) => {
  r.post('/range/teardown', guard('exercise:control'), async (req, res) => {
    const { confirm } = parseOr422(body, req.body, 'body');
    const range = ctx.teardown;
    if (!range) {
      throw new ApiError('conflict', 'this exercise has no live range to tear down (it runs simulated)');
    }
    if (confirm !== range.exercise) {
      throw new ApiError(
        'validation_failed',
        `type the exercise id \`${range.exercise}\` to confirm the teardown`,
        'body.confirm',
      );
    }
    const status = ctx.log.state.clock.status;
    if (status === 'running' || status === 'paused') {
      throw new ApiError('conflict', `the exercise clock is ${status} — stop the exercise first`);
    }
    let down: DownResult;
    try {
      down = await range.down();
    } catch (e) {
      throw new ApiError(
        'unavailable',
        `teardown failed: ${failureText(e)} — retry, or run \`cyrange down --exercise ${range.exercise}\``,
      );
    }
    const by = principalOf(res).label;
    const event = {
      type: 'controller.override',
      team: null,
      payload: {
        action: 'note',
        by,
        reason: `live range ${range.exercise} torn down: removed ${down.containers} containers, ${down.networks} networks, ${down.volumes} volumes`,
      },
    } satisfies EngineEvent;
    ctx.write([event]);
    const result: TeardownResult = { exercise: range.exercise, ...down };
    res.json(result);
  });
};
