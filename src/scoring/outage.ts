/**
 * Outage penalties from service availability checks. A service that fails `afterFailures`
 * checks in a row is down because of the team: the check that completes the streak costs
 * `points`, and every further failed check costs `points` again once `interval` seconds have
 * passed since the last charge. A passing check ends the streak. Checks marked `cause: 'range'`
 * (a fault of the range, not the team) neither count nor break the streak.
 */
import type { ScoringPlan } from '../compiler/plan';

interface Streak {
  failures: number;
  lastCharge?: number;
}

export interface OutageCharge {
  points: number;
  reason: string;
}

export class OutageTracker {
  private readonly streaks = new Map<string, Streak>();

  constructor(private readonly rule: ScoringPlan['penalties']['outage']) {}

  /** The charge this check causes, if any. */
  check(
    host: string,
    service: string,
    ok: boolean,
    cause: 'team' | 'range' | undefined,
    at: number,
  ): OutageCharge | undefined {
    if (cause === 'range') return undefined;
    const key = `${host}/${service}`;
    if (ok) {
      this.streaks.delete(key);
      return undefined;
    }
    const streak = this.streaks.get(key) ?? { failures: 0 };
    this.streaks.set(key, streak);
    streak.failures++;
    if (streak.failures < this.rule.afterFailures) return undefined;
    if (streak.lastCharge !== undefined && at - streak.lastCharge < this.rule.interval) return undefined;
    streak.lastCharge = at;
    return {
      points: this.rule.points,
      reason: `${service} on ${host} down: ${streak.failures} failed checks in a row (penalty after ${this.rule.afterFailures}, at most once per ${this.rule.interval}s)`,
    };
  }
}
