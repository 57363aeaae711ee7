/**
 * What the white cell does to scores: evaluators grade manual expectations, controllers override
 * an expectation or adjust a score. Each needs who and why; without them it is a warning.
 */
import { resolveGrade } from './manual-grade';
import type { ScoreLedger } from './score-ledger';
import type { ScoringEvent } from './scoring-events';

type Of<K extends ScoringEvent['type']> = Extract<ScoringEvent, { type: K }>;

const blank = (s: string) => s.trim() === '';

export function gradeExpectation(ledger: ScoreLedger, e: Of<'expectation.graded'>): void {
  const x = ledger.expectations.get(e.payload.expectation);
  if (!x) {
    ledger.warn(`expectation.graded #${e.seq}: unknown expectation ${e.payload.expectation}`);
    return;
  }
  if (x.plan.type !== 'manual') {
    ledger.warn(
      `expectation.graded #${e.seq}: ${x.plan.id} is a ${x.plan.type} expectation — use expectation.overridden`,
    );
    return;
  }
  if (x.score.override) return;
  const grade = resolveGrade(x.plan, e.payload);
  if (!grade.ok) {
    ledger.warn(`expectation.graded #${e.seq}: ${grade.error}`);
    return;
  }
  const { grader, reason } = e.payload;
  x.score.grade = { ...(grade.level ? { level: grade.level } : {}), grader, reason };
  const level = grade.level ? `rubric level "${grade.level}"` : `${grade.points} points`;
  ledger.set(
    x.plan.id,
    e,
    grade.points,
    'manual-grade',
    grader,
    `manual "${x.plan.title}": ${level} — ${reason}`,
  );
}

export function overrideExpectation(ledger: ScoreLedger, e: Of<'expectation.overridden'>): void {
  const p = e.payload;
  const x = ledger.expectations.get(p.expectation);
  if (!x || blank(p.by) || blank(p.reason) || !Number.isFinite(p.points)) {
    ledger.warn(
      `expectation.overridden #${e.seq}: ignored — needs a known expectation, points, who and a reason`,
    );
    return;
  }
  const points = Math.min(x.plan.points, Math.max(0, Math.round(p.points)));
  x.score.override = { by: p.by, reason: p.reason };
  const reason = `controller set "${x.plan.title}" to ${points} of ${x.plan.points} — ${p.reason}`;
  ledger.set(x.plan.id, e, points, 'override', p.by, reason);
}

export function adjustScore(ledger: ScoreLedger, e: Of<'score.adjusted'>): void {
  const p = e.payload;
  if (blank(p.by) || blank(p.reason) || !Number.isFinite(p.delta)) {
    ledger.warn(`score.adjusted #${e.seq}: ignored — an adjustment needs points, who and a reason`);
    return;
  }
  ledger.adjust(e, Math.round(p.delta), p.by, `controller adjustment — ${p.reason}`);
}
