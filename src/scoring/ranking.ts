/**
 * Ranking across teams: more points first; with `tieBreak: time`, between equal scores the team
 * that reached its score earlier ranks higher (a team that never changed its score reached it at
 * the start). Teams still equal share a rank (1, 1, 3) and are listed by name.
 */
import type { ScoringPlan } from '../compiler/plan';

export interface RankInput {
  team: string;
  name: string;
  total: number;
  reachedAt: number | null;
}

export type Ranked<T extends RankInput> = T & { rank: number };

function compare(a: RankInput, b: RankInput, tieBreak: ScoringPlan['tieBreak']): number {
  if (a.total !== b.total) return b.total - a.total;
  if (tieBreak === 'none') return 0;
  // Never changed = reached at the start; compare without subtracting infinities (NaN).
  const at = (r: RankInput) => r.reachedAt ?? Number.NEGATIVE_INFINITY;
  return at(a) === at(b) ? 0 : at(a) < at(b) ? -1 : 1;
}

export function rankTeams<T extends RankInput>(
  rows: readonly T[],
  tieBreak: ScoringPlan['tieBreak'],
): Ranked<T>[] {
  const sorted = [...rows].sort(
    (a, b) => compare(a, b, tieBreak) || a.name.localeCompare(b.name) || a.team.localeCompare(b.team),
  );
  const ranked: Ranked<T>[] = [];
  sorted.forEach((row, i) => {
    const prev = ranked[i - 1];
    const rank = prev && compare(prev, row, tieBreak) === 0 ? prev.rank : i + 1;
    ranked.push({ ...row, rank });
  });
  return ranked;
}
