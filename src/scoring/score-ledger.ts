/**
 * The ledger a team's fold writes into: where each expectation stands and the breakdown lines.
 * It is the only place that creates lines, so every point has a line and a reason.
 */
import type { ExpectationPlan, Plan } from '../compiler/plan';
import { decayFactor } from './decay';
import type { DetectionTarget } from './detection-match';
import type { ExpectationScore } from './expectation-score';
import type { GroundTruth } from './ground-truth';
import { offsetText, type ScoreEntry } from './score-entry';
import type { ScoringEvent } from './scoring-events';
import type { TeamDirectory } from './team-directory';

export interface LedgerExpectation {
  plan: ExpectationPlan;
  score: ExpectationScore;
  target?: DetectionTarget;
}

export interface Credit {
  expectation: string;
  /** Share of full credit reached (0..1); only an increase earns. */
  share: number;
  factor: number;
  event: ScoringEvent;
  by: string;
  why: string;
}

export class ScoreLedger {
  readonly entries: ScoreEntry[] = [];
  readonly warnings: string[] = [];
  /** Keys of false positives already charged (each costs once per team). */
  readonly penalisedFalsePositives = new Set<string>();

  constructor(
    readonly plan: Plan,
    readonly dir: TeamDirectory,
    readonly truth: GroundTruth,
    readonly expectations: Map<string, LedgerExpectation>,
  ) {}

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Decay factor for a fact at `at`, or undefined when the expectation cannot earn then. */
  factorAt(id: string, at: number): number | undefined {
    const x = this.expectations.get(id)!;
    if (x.score.startedAt === undefined) return undefined;
    const elapsed = at - x.score.startedAt;
    if (elapsed < 0 || elapsed > x.plan.expiry) return undefined;
    return decayFactor(elapsed, x.plan, this.plan.scoring.decay);
  }

  /** Raise an expectation to `share` of full credit at decay `factor` (nothing when overridden). */
  credit(c: Credit): void {
    const x = this.expectations.get(c.expectation)!;
    const added = Math.min(1, c.share) - x.score.share;
    if (added <= 0 || x.score.override) return;
    const at = c.event.scenarioTime;
    x.score.share += added;
    x.score.value += added * c.factor * x.plan.points;
    const points = Math.round(x.score.value) - x.score.earned;
    x.score.earned += points;
    x.score.firstCreditAt ??= at;
    if (x.score.share >= 1) x.score.metAt ??= at;
    const since = this.truth.steps.get(x.plan.inject)?.attack ? 'the attack step' : 'the inject';
    this.entries.push({
      seq: c.event.seq,
      at,
      kind: 'expectation',
      points,
      expectation: c.expectation,
      inject: x.plan.inject,
      by: c.by,
      reason:
        `${x.plan.type} "${x.plan.title}": ${c.why}, ${offsetText(at - x.score.startedAt!)} after ${since} → ` +
        `${Math.round(added * 100)}% of ${x.plan.points} × ${c.factor.toFixed(2)} (decay)`,
    });
  }

  /** Full credit for a containment expectation, if it is one and may still earn. */
  contain(id: string, event: ScoringEvent, by: string, why: string): void {
    const x = this.expectations.get(id);
    if (x?.plan.type !== 'containment') return;
    const factor = this.factorAt(id, event.scenarioTime);
    if (factor !== undefined) this.credit({ expectation: id, share: 1, factor, event, by, why });
  }

  penalty(event: ScoringEvent, kind: ScoreEntry['kind'], points: number, by: string, reason: string): void {
    this.entries.push({ seq: event.seq, at: event.scenarioTime, kind, points: -points, by, reason });
  }

  /** Set an expectation's points by hand (grade or override); the line carries the difference. */
  set(
    id: string,
    event: ScoringEvent,
    points: number,
    kind: 'manual-grade' | 'override',
    by: string,
    reason: string,
  ): void {
    const x = this.expectations.get(id)!;
    const at = event.scenarioTime;
    const delta = points - x.score.earned;
    x.score.earned = points;
    x.score.value = points;
    x.score.share = x.plan.points > 0 ? points / x.plan.points : 1;
    if (points > 0) x.score.firstCreditAt ??= at;
    if (points >= x.plan.points) x.score.metAt ??= at;
    else delete x.score.metAt;
    this.entries.push({
      seq: event.seq,
      at,
      kind,
      points: delta,
      expectation: id,
      inject: x.plan.inject,
      by,
      reason,
    });
  }

  adjust(event: ScoringEvent, points: number, by: string, reason: string): void {
    this.entries.push({ seq: event.seq, at: event.scenarioTime, kind: 'adjustment', points, by, reason });
  }
}
