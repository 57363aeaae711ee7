import type { ActionPlan, TeamPlan } from '../../compiler/plan';
import {
  type FiringContext,
  isLiveHost,
  needsDriver,
  simulatedEffects,
  tryLiveAction,
} from '../injects/inject-executor';
import type { LiveHostDriver } from '../live/live-host-driver';
import type { TelemetryTable } from '../store/telemetry-table';
import type { SessionLog } from './session-log';

/** What carrying out a firing needs from the session. */
export interface EffectsEnv {
  log: SessionLog;
  driver: LiveHostDriver;
  telemetry: TelemetryTable;
  /** Keeps a running live action so `stop()` can wait for it. */
  track(p: Promise<void>): void;
}

/**
 * Writes the simulated effects of a decided firing — message, telemetry rows, attack step and, for
 * purely simulated injects, the outcome — inside the caller's batch, and returns what starts its
 * live part (to be called once the batch has committed), or undefined when there is none. Every
 * write is keyed by the firing, so running this again after a crash writes nothing twice.
 */
export function writeEffects(env: EffectsEnv, ctx: FiringContext): (() => void) | undefined {
  const { inject, team, occurrence } = ctx;
  const outcomeKey = `${ctx.keyPrefix}/outcome`;
  const outcome = (ok: boolean, detail: string) => ({
    type: ok ? ('inject.succeeded' as const) : ('inject.failed' as const),
    team: team.id,
    key: outcomeKey,
    payload: { inject: inject.id, occurrence, detail },
  });
  let effects: ReturnType<typeof simulatedEffects>;
  try {
    effects = simulatedEffects(ctx);
  } catch (e) {
    env.log.write([outcome(false, (e as Error).message)]);
    return undefined;
  }
  const telemetryKey = `${ctx.keyPrefix}/telemetry`;
  const live = needsDriver(inject.action, team);
  env.log.batch(() => {
    // Telemetry rows are written only with the first (non-duplicate) `telemetry.injected`.
    if (effects.telemetry.length > 0 && !env.log.hasKey(telemetryKey)) {
      env.telemetry.insert(
        effects.telemetry.map((record) => ({
          session: ctx.session,
          team: team.id,
          source: 'inject',
          trackable: ctx.trackable,
          record,
        })),
      );
    }
    env.log.write(live ? effects.events : [...effects.events, outcome(true, describe(inject.action))]);
  });
  if (!live) return undefined;
  return () => {
    env.track(
      tryLiveAction(env.driver, ctx, inject.action, ctx.keyPrefix).then((r) => {
        env.log.write([outcome(r.ok, r.detail)]);
      }),
    );
  };
}

/** Starts again (idempotently, by key) the background process a succeeded firing left running. */
export function restartBackground(env: EffectsEnv, ctx: FiringContext): void {
  if (!isBackground(ctx.inject.action, ctx.team)) return;
  env.track(tryLiveAction(env.driver, ctx, ctx.inject.action, ctx.keyPrefix).then(() => undefined));
}

/** A beacon or background command on a live host: the inject leaves a process running. */
export function isBackground(action: ActionPlan, team: TeamPlan): boolean {
  return (
    (action.type === 'beacon' || (action.type === 'exec' && action.background)) &&
    isLiveHost(team, action.host)
  );
}

function describe(action: ActionPlan): string {
  switch (action.type) {
    case 'message':
      return `message from ${action.sender}: ${action.subject}`;
    case 'telemetry':
      return `${action.events.length} telemetry artifact(s)`;
    default:
      return `${action.type} on a simulated host`;
  }
}
