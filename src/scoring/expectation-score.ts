/**
 * Where one expectation stands for one team: how much of it the team has earned and why.
 * `share` is the fraction of full credit reached (items named / required, or 1 once met);
 * `value` the unrounded points it is worth after decay. Entries carry whole points: each new
 * entry is round(value) minus what earlier entries already gave, so an expectation never pays
 * more than its points and rounding never drifts.
 */
import type { ExpectationPlan } from '../compiler/plan';

export type ExpectationStatus = 'waiting' | 'open' | 'partial' | 'met' | 'failed';

export interface ExpectationScore {
  id: string;
  inject: string;
  type: ExpectationPlan['type'];
  title: string;
  /** Most points it can give. */
  points: number;
  earned: number;
  share: number;
  value: number;
  status: ExpectationStatus;
  /** Scenario seconds of the attack step its clock runs from. */
  startedAt?: number;
  /** After this nothing more is earned (none for manual expectations, which wait for a grade). */
  expiresAt?: number;
  /** First time it earned credit. */
  firstCreditAt?: number;
  /** When it reached full credit. */
  metAt?: number;
  /** Items named so far (`host:pc-0042`, `indicator:evil.example`…), for detection and report matching. */
  named: string[];
  /** Items the expectation lists and how many are required. */
  items: number;
  require: number;
  grade?: { level?: string; grader: string; reason: string };
  override?: { by: string; reason: string };
}

export function initialExpectationScore(e: ExpectationPlan): ExpectationScore {
  return {
    id: e.id,
    inject: e.inject,
    type: e.type,
    title: e.title,
    points: e.points,
    earned: 0,
    share: 0,
    value: 0,
    status: 'waiting',
    named: [],
    items: 0,
    require: 0,
  };
}

/** Status at `now` from what was earned and whether the expiry has passed. */
export function settleStatus(
  x: ExpectationScore,
  expiresAt: number | undefined,
  now: number,
): ExpectationStatus {
  if (x.override || x.grade) return x.earned >= x.points ? 'met' : x.earned > 0 ? 'partial' : 'failed';
  if (x.startedAt === undefined) return 'waiting';
  if (x.share >= 1) return 'met';
  const expired = expiresAt !== undefined && now > expiresAt;
  if (x.share > 0) return 'partial';
  return expired ? 'failed' : 'open';
}

/**
 * What the scheduler's conditions should see (`expectation.resolved`): met once full credit is
 * reached (or a grade or override gave any points), failed once it expired short of full credit
 * (points already earned stay) or was graded or overridden to nothing; undefined while still open.
 */
export function resolution(x: ExpectationScore, now: number): 'met' | 'failed' | undefined {
  if (x.override || x.grade) return x.earned > 0 ? 'met' : 'failed';
  if (x.startedAt === undefined) return undefined;
  if (x.share >= 1) return 'met';
  return x.expiresAt !== undefined && now > x.expiresAt ? 'failed' : undefined;
}
