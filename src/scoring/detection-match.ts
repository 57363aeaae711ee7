/**
 * Does a report name what an expectation asks for? Every listed host, account, indicator and
 * technique is one item; naming `require` of them earns full credit, fewer earn that share.
 * Items are compared with tolerance: case, FQDN or address for a short host name, `DOMAIN\user`
 * or e-mail for an account, defanged indicators, a parent technique for a sub-technique.
 * A host written among indicators (or an indicator among hosts) still counts.
 */
import type { ExpectationPlan } from '../compiler/plan';
import type { StepTruth } from './ground-truth';
import type { IncidentReport } from './incident-report';
import { indicatorMatches, parseIndicator } from './indicator';
import type { TeamDirectory } from './team-directory';
import { parseTechnique, techniqueMatches } from './technique';

export type ItemCategory = 'host' | 'account' | 'indicator' | 'technique';

export interface ExpectedItem {
  category: ItemCategory;
  /** As the scenario (or ground truth) wrote it; shown in breakdowns. */
  label: string;
}

export interface DetectionTarget {
  items: ExpectedItem[];
  /** Items to name for full credit (1 ≤ require ≤ items). */
  require: number;
}

/** The expectation's `match`, or else any one item of the step's ground truth. */
export function detectionTarget(expectation: ExpectationPlan, step: StepTruth | undefined): DetectionTarget {
  const m = expectation.match;
  const items: ExpectedItem[] = m
    ? [
        ...m.hosts.map((label) => ({ category: 'host' as const, label })),
        ...m.users.map((label) => ({ category: 'account' as const, label })),
        ...m.indicators.map((label) => ({ category: 'indicator' as const, label })),
        ...m.techniques.map((label) => ({ category: 'technique' as const, label })),
      ]
    : step
      ? [
          ...step.artifacts.hosts.map((label) => ({ category: 'host' as const, label })),
          ...step.artifacts.accounts.map((label) => ({ category: 'account' as const, label })),
          ...[...step.artifacts.domains, ...step.artifacts.ips, ...step.artifacts.hashes].map((label) => ({
            category: 'indicator' as const,
            label,
          })),
          ...(step.technique ? [{ category: 'technique' as const, label: step.technique }] : []),
        ]
      : [];
  const require = m ? m.require : 1;
  return { items, require: Math.max(items.length === 0 ? 0 : 1, Math.min(require, items.length)) };
}

function itemNamed(item: ExpectedItem, report: IncidentReport, dir: TeamDirectory): boolean {
  const named = [...report.hosts, ...report.indicators];
  switch (item.category) {
    case 'host': {
      const host = dir.host(item.label);
      return named.some((r) => dir.host(r) === host);
    }
    case 'account': {
      const user = dir.user(item.label);
      return [...report.accounts, ...report.indicators].some((r) => dir.user(r) === user);
    }
    case 'indicator': {
      const expected = parseIndicator(item.label);
      return named.some((r) => indicatorMatches(expected, parseIndicator(r)));
    }
    case 'technique': {
      const expected = parseTechnique(item.label);
      if (!expected) return false;
      return report.techniques.some((r) => {
        const t = parseTechnique(r);
        return t !== undefined && techniqueMatches(expected, t);
      });
    }
  }
}

/** Labels of the target's items this report names. */
export function itemsNamed(target: DetectionTarget, report: IncidentReport, dir: TeamDirectory): string[] {
  return target.items.filter((item) => itemNamed(item, report, dir)).map((i) => `${i.category}:${i.label}`);
}

/** Share of full credit for a number of named items: min(named, require) / require. */
export function creditShare(named: number, require: number): number {
  if (require <= 0) return 0;
  return Math.min(named, require) / require;
}
