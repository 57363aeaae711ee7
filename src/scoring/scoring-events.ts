/**
 * The facts scoring reads. Most are engine events; the rest are facts the engine does not write
 * yet (service checks, hints, grades, overrides, freeze). They are defined here with the same
 * shape as stored engine events so that moving them into src/engine/events/event-types.ts later
 * changes no scoring code. See "Event types scoring needs" in docs/SCORING.md.
 */
import type { StoredEvent } from '../engine/events/event-types';

export interface ScoringPayloads {
  /** A service availability check ran against a team's host. `cause: 'range'` marks faults the team did not cause. */
  'service.checked': {
    host: string;
    service: string;
    ok: boolean;
    cause?: 'team' | 'range';
    detail?: string;
  };
  /** The controller gave a hint; it costs the hint penalty (or `cost` when set). */
  'hint.given': { hint: string; inject?: string; by: string; cost?: number };
  /** A probe verified a containment check (e.g. the C2 stopped receiving beacons). */
  'containment.verified': { expectation: string; ok: boolean; detail: string };
  /** An evaluator graded a manual expectation with a rubric level (or explicit points). */
  'expectation.graded': {
    expectation: string;
    level?: string;
    points?: number;
    grader: string;
    reason: string;
  };
  /** The controller set an expectation's points by hand; automatic scoring of it stops. */
  'expectation.overridden': { expectation: string; points: number; by: string; reason: string };
  /** The controller added or removed points outside any expectation. */
  'score.adjusted': { delta: number; by: string; reason: string };
  /** The controller froze or unfroze the public scoreboard. */
  'score.frozen': { by: string; reason: string };
  'score.unfrozen': { by: string; reason: string };
}

export type ScoringEventType = keyof ScoringPayloads;

export type LocalScoringEvent = {
  [K in ScoringEventType]: {
    type: K;
    team: string | null;
    payload: ScoringPayloads[K];
    key?: string;
    session: string;
    seq: number;
    scenarioTime: number;
    wallTime: number;
  };
}[ScoringEventType];

/** Everything the scoring fold accepts: the engine's stored events and the local ones above. */
export type ScoringEvent = StoredEvent | LocalScoringEvent;

export function isScoringEvent<K extends ScoringEvent['type']>(
  e: ScoringEvent,
  type: K,
): e is Extract<ScoringEvent, { type: K }> {
  return e.type === type;
}
