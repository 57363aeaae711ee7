import type { InjectPlan, Plan } from '../../compiler/plan';
import { cronOccurrences } from './cron-occurrences';

/** Team-independent facts about every inject, computed once per session (cron expansion). */
export interface Schedule {
  injects: InjectPlan[];
  byId: Map<string, InjectPlan>;
  /** inject id → sorted scenario offsets of its cron occurrences. */
  cron: Map<string, number[]>;
  /** inject id → its longest expectation expiry (seconds), for `after … on: expiry`. */
  expiry: Map<string, number>;
}

export function buildSchedule(plan: Plan, epochMs: number): Schedule {
  const cron = new Map<string, number[]>();
  const expiry = new Map<string, number>();
  for (const inj of plan.injects) {
    if (inj.trigger.kind === 'cron') {
      cron.set(
        inj.id,
        cronOccurrences(inj.trigger.expression, {
          from: inj.trigger.from,
          until: inj.trigger.until,
          epochMs,
          timezone: plan.scenario.timezone,
        }),
      );
    }
    if (inj.expectations.length > 0) expiry.set(inj.id, Math.max(...inj.expectations.map((x) => x.expiry)));
  }
  return { injects: plan.injects, byId: new Map(plan.injects.map((i) => [i.id, i])), cron, expiry };
}
