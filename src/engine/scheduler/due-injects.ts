import type { InjectPlan } from '../../compiler/plan';
import type { SkipReason } from '../events/event-types';
import { occurrence, type TeamState } from '../state/session-state';
import { evaluateCondition } from './conditions';
import type { Schedule } from './schedule';

/**
 * The MSEL scheduler's decision, as a pure function: given the schedule, one team's state and the
 * scenario time, which occurrences fire now and which are skipped. The session writes the decision
 * to the log in one transaction with idempotency keys, so a decision is never applied twice.
 */

export interface Firing {
  inject: InjectPlan;
  occurrence: string;
  scheduledAt: number;
  manual: boolean;
  /** Wall ms of the controller's request, for manual firings. */
  requestWall?: number;
}

export interface Skip {
  inject: InjectPlan;
  occurrence: string;
  scheduledAt: number;
  reason: SkipReason;
  detail: string;
}

export interface Decision {
  fire: Firing[];
  skip: Skip[];
}

/** The scenario time of an `after` trigger, once the referenced inject's outcome is known. */
function afterTime(inj: InjectPlan, team: TeamState, s: Schedule): number | undefined {
  if (inj.trigger.kind !== 'after') return undefined;
  const { inject: ref, on, delay } = inj.trigger;
  for (const o of team.occurrences.get(ref)?.values() ?? []) {
    if (o.status === 'skipped') continue;
    if (on === 'success' && o.status === 'succeeded') return o.outcomeAt! + delay;
    if (on === 'failure' && o.status === 'failed') return o.outcomeAt! + delay;
    if (on === 'completion' && o.outcomeAt !== undefined) return o.outcomeAt + delay;
    if (on === 'expiry') {
      const exp = s.expiry.get(ref);
      if (exp !== undefined) return o.at + exp + delay;
    }
  }
  return undefined;
}

/** Index of the last element ≤ t in a sorted array, or −1. */
function lastAtOrBefore(xs: number[], t: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= t) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

export function decide(s: Schedule, team: TeamState, now: number): Decision {
  const fire: Firing[] = [];
  const skip: Skip[] = [];
  const gate = (inj: InjectPlan, occ: string, at: number) => {
    if (inj.condition && !evaluateCondition(inj.condition, team)) {
      skip.push({
        inject: inj,
        occurrence: occ,
        scheduledAt: at,
        reason: 'condition',
        detail: 'condition not met',
      });
    } else fire.push({ inject: inj, occurrence: occ, scheduledAt: at, manual: false });
  };

  for (const inj of s.injects) {
    if (team.cancelled.has(inj.id)) continue;
    const t = inj.trigger;
    if (t.kind === 'offset') {
      if (t.at <= now && !occurrence(team, inj.id, '0')) gate(inj, '0', t.at);
    } else if (t.kind === 'after') {
      const at = afterTime(inj, team, s);
      if (at !== undefined && at <= now && !occurrence(team, inj.id, 'a0')) gate(inj, 'a0', at);
    } else if (t.kind === 'cron') {
      const times = s.cron.get(inj.id) ?? [];
      const j = lastAtOrBefore(times, now);
      // Only the newest due occurrence fires; older unrecorded ones were missed (the engine was
      // down or paused past them) and are skipped, so a beacon never bursts after a restart.
      for (let i = j; i >= 0; i--) {
        const key = `c${i}`;
        if (occurrence(team, inj.id, key)) break;
        if (i === j) gate(inj, key, times[i]!);
        else
          skip.push({
            inject: inj,
            occurrence: key,
            scheduledAt: times[i]!,
            reason: 'missed',
            detail: 'superseded',
          });
      }
    }
  }
  // Controller requests fire any inject (manual or not) once each, without its condition.
  for (const r of team.manualRequests) {
    const inj = s.byId.get(r.inject);
    if (!inj || occurrence(team, r.inject, r.occurrence)) continue;
    fire.push({
      inject: inj,
      occurrence: r.occurrence,
      scheduledAt: r.at,
      manual: true,
      requestWall: r.wall,
    });
  }
  fire.sort((a, b) => a.scheduledAt - b.scheduledAt);
  skip.sort((a, b) => a.scheduledAt - b.scheduledAt);
  return { fire, skip };
}

/**
 * Earliest scenario time at which something is (or was) due for this team and not yet decided.
 * It may be ≤ `now` when a trigger became due while the previous pass was still writing: the timer
 * loop then runs a pass at once instead of sleeping past it.
 */
export function nextDueAt(s: Schedule, team: TeamState, now: number): number | undefined {
  let best: number | undefined;
  const consider = (t: number) => {
    if (best === undefined || t < best) best = t;
  };
  for (const inj of s.injects) {
    if (team.cancelled.has(inj.id)) continue;
    const t = inj.trigger;
    if (t.kind === 'offset' && !occurrence(team, inj.id, '0')) consider(t.at);
    else if (t.kind === 'after' && !occurrence(team, inj.id, 'a0')) {
      const at = afterTime(inj, team, s);
      if (at !== undefined) consider(at);
    } else if (t.kind === 'cron') {
      const times = s.cron.get(inj.id) ?? [];
      const j = lastAtOrBefore(times, now);
      if (j >= 0 && !occurrence(team, inj.id, `c${j}`)) consider(times[j]!);
      else if (times[j + 1] !== undefined) consider(times[j + 1]!);
    }
  }
  return best;
}
