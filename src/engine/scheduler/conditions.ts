import type { ConditionPlan } from '../../compiler/plan';
import type { TeamState } from '../state/session-state';

/** Evaluates the closed set of per-team conditions; nothing here runs scenario-supplied code. */
export function evaluateCondition(c: ConditionPlan, team: TeamState): boolean {
  if ('all' in c) return c.all.every((x) => evaluateCondition(x, team));
  if ('any' in c) return c.any.some((x) => evaluateCondition(x, team));
  if ('not' in c) return !evaluateCondition(c.not, team);
  if ('expectation' in c) {
    const r = team.expectations.get(c.expectation);
    // "unmet" means not met (yet): pending or failed.
    if (c.is === 'met') return r === 'met';
    if (c.is === 'failed') return r === 'failed';
    return r !== 'met';
  }
  const occ = [...(team.occurrences.get(c.inject)?.values() ?? [])].filter((o) => o.status !== 'skipped');
  switch (c.is) {
    case 'fired':
      return occ.length > 0;
    case 'not-fired':
      return occ.length === 0;
    case 'succeeded':
      return occ.some((o) => o.status === 'succeeded');
    case 'failed':
      return occ.some((o) => o.status === 'failed');
  }
}
