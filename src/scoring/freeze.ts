/**
 * Score freeze: from the freeze time on, changes are still recorded and shown to the white cell,
 * but the public board (teams and spectators) shows each team's score as it was at the freeze
 * until the controller unfreezes it. The plan's `freeze` time and the controller's
 * `score.frozen` / `score.unfrozen` events toggle it, in time order.
 */
import type { ScoreEntry } from './score-entry';
import type { ScoringEvent } from './scoring-events';

export interface FreezeState {
  /** Scenario seconds the current freeze began, or null when the board is live. */
  frozenSince: number | null;
  by?: string;
  reason?: string;
}

interface Toggle {
  at: number;
  seq: number;
  frozen: boolean;
  by: string;
  reason: string;
}

/** Freeze in force at `now`. Events may be in any order and of any team. */
export function freezeAt(
  planFreeze: number | undefined,
  events: readonly ScoringEvent[],
  now: number,
): FreezeState {
  const toggles: Toggle[] = [];
  if (planFreeze !== undefined) {
    toggles.push({
      at: planFreeze,
      seq: -1,
      frozen: true,
      by: 'scenario',
      reason: 'scoring.freeze in the scenario',
    });
  }
  for (const e of events) {
    if (e.type === 'score.frozen' || e.type === 'score.unfrozen') {
      toggles.push({ at: e.scenarioTime, seq: e.seq, frozen: e.type === 'score.frozen', ...e.payload });
    }
  }
  toggles.sort((a, b) => a.at - b.at || a.seq - b.seq);
  let state: FreezeState = { frozenSince: null };
  for (const t of toggles) {
    if (t.at > now) break;
    if (t.frozen && state.frozenSince === null) state = { frozenSince: t.at, by: t.by, reason: t.reason };
    else if (!t.frozen) state = { frozenSince: null };
  }
  return state;
}

/** Entries the public board may show under this freeze. */
export function visibleEntries(entries: readonly ScoreEntry[], freeze: FreezeState): ScoreEntry[] {
  const since = freeze.frozenSince;
  return since === null ? [...entries] : entries.filter((e) => e.at < since);
}
