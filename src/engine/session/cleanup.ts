import type { ActionPlan } from '../../compiler/plan';
import { type FiringContext, needsDriver, tryLiveAction } from '../injects/inject-executor';
import type { LiveHostDriver } from '../live/live-host-driver';
import { isBackground } from './firing-effects';
import type { SessionLog } from './session-log';

/**
 * The end of the exercise: every fired occurrence's cleanup, latest firing first, each inject's
 * steps in reverse order, and last the background process the inject started (it was started
 * first). Each step is recorded as `cleanup.ran` under its own key after it ran, so a cleanup cut
 * by a crash resumes at the first unrecorded step and never repeats a recorded one.
 *
 * `fired` must be ordered latest firing first.
 */
export async function runCleanups(
  env: { log: SessionLog; driver: LiveHostDriver },
  fired: FiringContext[],
): Promise<void> {
  for (const ctx of fired) {
    const { inject, team } = ctx;
    const steps: { step: number; action?: ActionPlan }[] = inject.cleanup
      .map((action, step) => ({ step, action }))
      .reverse();
    if (isBackground(inject.action, team)) steps.push({ step: inject.cleanup.length });
    for (const { step, action } of steps) {
      const key = `${ctx.keyPrefix}/cleanup/${step}`;
      if (env.log.hasKey(key)) continue;
      let r: { ok: boolean; detail: string };
      if (!action) {
        const host = (inject.action as { host: string }).host;
        r = await env.driver
          .stopBackground({ team: team.id, host }, ctx.keyPrefix)
          .then(() => ({ ok: true, detail: `stopped background on ${host}` }))
          .catch((e: Error) => ({ ok: false, detail: e.message }));
      } else if (needsDriver(action, team)) {
        r = await tryLiveAction(env.driver, ctx, action, key);
      } else {
        r = { ok: true, detail: 'simulated host — nothing to undo' };
      }
      env.log.write([
        {
          type: 'cleanup.ran',
          team: team.id,
          key,
          payload: { inject: inject.id, step, ok: r.ok, detail: r.detail },
        },
      ]);
    }
  }
}
