/**
 * An evaluator's grade of a manual expectation: a rubric level (its points) or explicit points,
 * always with the grader and a reason. Grades are capped at the expectation's points; a regrade
 * replaces the earlier grade. Errors are values: a grade that cannot be used says why.
 */
import type { ExpectationPlan } from '../compiler/plan';
import type { ScoringPayloads } from './scoring-events';

export type GradeResult = { ok: true; points: number; level?: string } | { ok: false; error: string };

export function resolveGrade(
  expectation: ExpectationPlan,
  grade: ScoringPayloads['expectation.graded'],
): GradeResult {
  if (grade.grader.trim() === '' || grade.reason.trim() === '') {
    return { ok: false, error: `grade of ${expectation.id} ignored — a grade needs a grader and a reason` };
  }
  if (grade.level !== undefined) {
    const wanted = grade.level.trim().toLowerCase();
    const level = expectation.rubric?.find((r) => r.level.toLowerCase() === wanted);
    if (!level) {
      const levels = (expectation.rubric ?? []).map((r) => r.level).join(', ') || 'none';
      return {
        ok: false,
        error: `grade of ${expectation.id} ignored — unknown rubric level "${grade.level}" (levels: ${levels})`,
      };
    }
    return { ok: true, points: clamp(level.points, expectation.points), level: level.level };
  }
  if (grade.points === undefined || !Number.isFinite(grade.points)) {
    return { ok: false, error: `grade of ${expectation.id} ignored — give a rubric level or points` };
  }
  return { ok: true, points: clamp(Math.round(grade.points), expectation.points) };
}

function clamp(points: number, max: number): number {
  return Math.min(max, Math.max(0, points));
}
