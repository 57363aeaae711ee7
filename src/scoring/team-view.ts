/**
 * What a team sees of its own score. The white cell sees everything. A team sees its breakdown
 * as of the freeze while one is in force (it sees the same total as the public board, so the
 * board and its own page never disagree), and only its total when the scenario sets
 * `showBreakdownToTeams: false`.
 */
import type { Plan } from '../compiler/plan';
import { visibleEntries } from './freeze';
import { type ScoreEntry, sumEntries } from './score-entry';
import type { TeamScore } from './team-score';

export interface TeamView {
  team: string;
  name: string;
  total: number;
  /** Absent when the scenario hides breakdowns from teams. */
  entries?: ScoreEntry[];
  frozen: boolean;
  warnings?: string[];
}

export function teamView(plan: Plan, score: TeamScore, viewer: 'staff' | 'team'): TeamView {
  if (viewer === 'staff') {
    return {
      team: score.team,
      name: score.name,
      total: score.total,
      entries: score.entries,
      frozen: false,
      warnings: score.warnings,
    };
  }
  const entries = visibleEntries(score.entries, score.freeze);
  return {
    team: score.team,
    name: score.name,
    total: sumEntries(entries),
    ...(plan.scoring.showBreakdownToTeams ? { entries } : {}),
    frozen: score.freeze.frozenSince !== null,
  };
}
