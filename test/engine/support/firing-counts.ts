import { isEvent, type StoredEvent } from '../../../src/engine/events/event-types';

/**
 * How often each inject occurrence (`team/inject/occurrence`) was decided (fired or skipped) and how
 * often a firing's outcome (succeeded or failed) was recorded: crash and fault tests expect 1 and 1.
 */
export function firingCounts(log: readonly StoredEvent[]): {
  decided: Map<string, number>;
  outcomes: Map<string, number>;
} {
  const decided = new Map<string, number>();
  const outcomes = new Map<string, number>();
  for (const e of log) {
    if (isEvent(e, 'inject.fired') || isEvent(e, 'inject.skipped')) {
      const k = `${e.team}/${e.payload.inject}/${e.payload.occurrence}`;
      decided.set(k, (decided.get(k) ?? 0) + 1);
    }
    if (isEvent(e, 'inject.succeeded') || isEvent(e, 'inject.failed')) {
      const k = `${e.team}/${e.payload.inject}/${e.payload.occurrence}`;
      outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    }
  }
  return { decided, outcomes };
}
