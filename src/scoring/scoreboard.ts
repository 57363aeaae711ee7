/**
 * The scoreboard: one row per team, ranked. The white cell (`staff`) sees live totals; the public
 * board (teams and spectators) sees totals as of the freeze while one is in force, and
 * anonymous names when asked for or when the scenario says so.
 */
import type { Plan } from '../compiler/plan';
import { anonymousNames } from './anonymise';
import { visibleEntries } from './freeze';
import { type Ranked, rankTeams } from './ranking';
import { lastChangeAt, sumEntries } from './score-entry';
import { meanOf } from './step-timing';
import type { TeamScore } from './team-score';

export type Audience = 'staff' | 'public';

export interface ScoreboardRow {
  team: string;
  name: string;
  total: number;
  reachedAt: number | null;
  expectationsMet: number;
  expectations: number;
  meanTimeToDetect?: number;
  meanTimeToRespond?: number;
  /** Phase of the latest attack step the team has faced, and its position among the phases. */
  phase?: { id: string; index: number; of: number };
  /** True when the public board is frozen and this row may be behind. */
  frozen: boolean;
}

export interface ScoreboardOptions {
  audience: Audience;
  /** Defaults to the scenario's `scoring.anonymise` (public board only). */
  anonymise?: boolean;
}

function row(plan: Plan, score: TeamScore, audience: Audience): ScoreboardRow {
  const since = audience === 'public' ? score.freeze.frozenSince : null;
  const seen = (at: number | undefined) => at !== undefined && (since === null || at < since);
  const entries = visibleEntries(score.entries, { frozenSince: since });
  const phases = plan.phases.map((p) => p.id);
  const last = score.steps[score.steps.length - 1];
  const phaseId = last ? plan.injects.find((i) => i.id === last.inject)?.phase : undefined;
  return {
    team: score.team,
    name: score.name,
    total: sumEntries(entries),
    reachedAt: lastChangeAt(entries),
    expectationsMet: score.expectations.filter((x) => x.status === 'met' && seen(x.metAt ?? x.firstCreditAt))
      .length,
    expectations: score.expectations.length,
    ...optional(
      'meanTimeToDetect',
      meanOf(score.steps.map((s) => (seen(s.detectedAt) ? s.timeToDetect : undefined))),
    ),
    ...optional(
      'meanTimeToRespond',
      meanOf(score.steps.map((s) => (seen(s.respondedAt) ? s.timeToRespond : undefined))),
    ),
    ...(phaseId !== undefined
      ? { phase: { id: phaseId, index: phases.indexOf(phaseId) + 1, of: phases.length } }
      : {}),
    frozen: since !== null,
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

export function scoreboard(
  plan: Plan,
  scores: readonly TeamScore[],
  options: ScoreboardOptions,
): Ranked<ScoreboardRow>[] {
  const rows = scores.map((s) => row(plan, s, options.audience));
  const anonymise = options.audience === 'public' && (options.anonymise ?? plan.scoring.anonymise);
  const ranked = rankTeams(rows, plan.scoring.tieBreak);
  if (!anonymise) return ranked;
  const names = anonymousNames(
    scores.map((s) => s.team),
    plan.scenario.seed,
  );
  // Ties are listed by name: re-rank with the anonymous names so the order leaks nothing.
  return rankTeams(
    ranked.map(({ rank: _rank, ...r }) => ({ ...r, team: names.get(r.team)!, name: names.get(r.team)! })),
    plan.scoring.tieBreak,
  );
}
