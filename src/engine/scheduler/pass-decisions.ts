import type { InjectPlan, TeamPlan } from '../../compiler/plan';
import { type ClockState, scenarioAt, wallAt } from '../clock/exercise-clock';
import type { EngineEvent, SkipReason } from '../events/event-types';
import { firingKey } from '../injects/inject-executor';
import { trackableId } from '../session/ground-truth';
import type { SessionState } from '../state/session-state';
import { decide } from './due-injects';
import type { Schedule } from './schedule';

/**
 * One pass of the timer loop as a pure function: for every team, the `inject.fired` and
 * `inject.skipped` events to write now, each keyed `<session>/<team>/<inject>/<occ>/decision` so
 * that an occurrence is decided once, ever. Applies the missed-firing policy: one-shot injects fire
 * however late (their lateness is recorded); a cron occurrence more than `graceMs` late is skipped
 * as `missed`.
 */
export interface PassDecisions {
  events: EngineEvent[];
  firings: { team: TeamPlan; inject: InjectPlan; occurrence: string; decisionKey: string }[];
  skipped: number;
}

export function passDecisions(input: {
  session: string;
  teams: TeamPlan[];
  schedule: Schedule;
  state: SessionState;
  /** Wall ms of the pass. */
  now: number;
  graceMs: number;
}): PassDecisions {
  const { session, schedule, state, now, graceMs } = input;
  const clock = state.clock;
  const out: PassDecisions = { events: [], firings: [], skipped: 0 };
  if (clock.status !== 'running') return out;
  const t = scenarioAt(clock, now);
  const skip = (team: string, inject: string, occurrence: string, reason: SkipReason, detail: string) => {
    out.skipped++;
    out.events.push({
      type: 'inject.skipped',
      team,
      key: `${firingKey(session, team, inject, occurrence)}/decision`,
      payload: { inject, occurrence, reason, detail },
    });
  };
  for (const team of input.teams) {
    const ts = state.teams.get(team.id);
    if (!ts) continue;
    const d = decide(schedule, ts, t);
    for (const s of d.skip) skip(team.id, s.inject.id, s.occurrence, s.reason, s.detail);
    for (const f of d.fire) {
      const scheduledWall = f.manual ? (f.requestWall ?? now) : dueWall(clock, f.scheduledAt, now);
      const latenessMs = Math.max(0, now - scheduledWall);
      if (f.inject.trigger.kind === 'cron' && !f.manual && latenessMs > graceMs) {
        skip(
          team.id,
          f.inject.id,
          f.occurrence,
          'missed',
          `${Math.round(latenessMs)} ms late, past the ${graceMs} ms grace`,
        );
        continue;
      }
      const decisionKey = `${firingKey(session, team.id, f.inject.id, f.occurrence)}/decision`;
      out.events.push({
        type: 'inject.fired',
        team: team.id,
        key: decisionKey,
        payload: {
          inject: f.inject.id,
          occurrence: f.occurrence,
          scheduledAt: f.scheduledAt,
          scheduledWall,
          latenessMs,
          trackable: trackableId(session, team.id, f.inject.id, f.occurrence),
          manual: f.manual,
        },
      });
      out.firings.push({ team, inject: f.inject, occurrence: f.occurrence, decisionKey });
    }
  }
  return out;
}

/**
 * Wall ms at which scenario second `at` was due under the clock in force; a time reached before
 * the current segment (before the last resume or speed change) counts from the segment's start.
 */
export function dueWall(clock: ClockState, at: number, now: number): number {
  if (at < clock.anchorScenario) return clock.anchorWall;
  return wallAt(clock, at) ?? now;
}
