/**
 * Destructive responses: isolating a critical host (the domain controller, the file server the
 * ministry runs on) or isolating so much of the range that the organisation stops working. Each
 * isolation of a critical host costs the penalty; mass isolation costs it once each time the
 * number of isolated hosts crosses the threshold (releasing hosts below it re-arms it).
 */
import type { ResponseAction } from './response-action';
import type { TeamDirectory } from './team-directory';

export interface MassIsolationRule {
  /** Share of the team's hosts isolated at once that counts as mass isolation. */
  share: number;
  /** Never fewer hosts than this, however small the range. */
  minHosts: number;
}

export const DEFAULT_MASS_ISOLATION: MassIsolationRule = { share: 0.5, minHosts: 5 };

export function massIsolationThreshold(rule: MassIsolationRule, hostCount: number): number {
  return Math.max(rule.minHosts, Math.ceil(rule.share * hostCount));
}

/** Tracks isolated hosts of one team and tells which isolations are destructive. */
export class IsolationTracker {
  private readonly isolated = new Set<string>();
  private massArmed = true;
  private readonly critical: Set<string>;
  private readonly threshold: number;

  constructor(
    critical: readonly string[],
    private readonly dir: TeamDirectory,
    rule: MassIsolationRule,
  ) {
    this.critical = new Set(critical.map((h) => dir.host(h)));
    this.threshold = massIsolationThreshold(rule, dir.hostCount);
  }

  /** Reasons this action is destructive (empty when it is not). */
  apply(action: ResponseAction): string[] {
    if (action.kind === 'release') {
      this.isolated.delete(this.dir.host(action.host));
      if (this.isolated.size < this.threshold) this.massArmed = true;
      return [];
    }
    if (action.kind !== 'isolate') return [];
    const reasons: string[] = [];
    if (action.all) reasons.push('isolated every host of the range');
    if (action.host !== undefined) {
      const host = this.dir.host(action.host);
      if (this.critical.has(host)) reasons.push(`isolated critical host ${host}`);
      this.isolated.add(host);
    }
    if (!action.all && this.massArmed && this.isolated.size >= this.threshold) {
      this.massArmed = false;
      reasons.push(
        `mass isolation: ${this.isolated.size} hosts isolated at once (threshold ${this.threshold})`,
      );
    }
    return reasons;
  }
}
