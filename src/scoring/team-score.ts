/**
 * A team's score as a pure fold over its events and the plan: the same events always give the
 * same score, whatever order the log handed them over in (they are taken by scenario time, then
 * sequence). Every point is one line of the breakdown (see score-ledger.ts).
 */
import type { Plan } from '../compiler/plan';
import type { ExpectationScore } from './expectation-score';
import type { FreezeState } from './freeze';
import type { ScoreEntry } from './score-entry';
import type { ScoringEvent } from './scoring-events';
import type { StepTiming } from './step-timing';
import { type ScorerOptions, TeamScorer } from './team-scorer';

export interface ScoringOptions extends ScorerOptions {
  /** Score as of this scenario time (default: the last event's, of any team). Later events are ignored. */
  now?: number;
}

export interface TeamScore {
  team: string;
  name: string;
  total: number;
  /** The breakdown, in time order; sums to `total`. */
  entries: ScoreEntry[];
  expectations: ExpectationScore[];
  steps: StepTiming[];
  /** When the team last changed its score (the tie-breaker), or null when it never did. */
  reachedAt: number | null;
  freeze: FreezeState;
  /** Events that could not be scored, with why (errors are values). */
  warnings: string[];
  now: number;
}

export function scoreTeam(
  plan: Plan,
  team: string,
  events: readonly ScoringEvent[],
  options: ScoringOptions = {},
): TeamScore {
  // One clock for the whole session: by default the time of the last event given, of any team.
  const now = options.now ?? events.reduce((max, e) => Math.max(max, e.scenarioTime), 0);
  const mine = events
    .filter((e) => (e.team === team || e.team === null) && e.scenarioTime <= now)
    .sort((a, b) => a.scenarioTime - b.scenarioTime || a.seq - b.seq);
  const scorer = new TeamScorer(plan, team, options);
  for (const e of mine) scorer.apply(e);
  return scorer.score(now);
}
