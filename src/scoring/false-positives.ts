/**
 * False positives: hosts and indicators a report names that no attack step touched. Accounts and
 * techniques are not penalised (naming a wrong technique is a weak report, not a false alarm).
 * Each distinct wrong item costs the penalty once per team, however many reports repeat it.
 */
import type { GroundTruth } from './ground-truth';
import type { IncidentReport } from './incident-report';
import { indicatorKey, parseIndicator } from './indicator';
import type { TeamDirectory } from './team-directory';

/** Canonical keys of the wrong items, with the text the team wrote. */
export function falsePositives(
  report: IncidentReport,
  truth: GroundTruth,
  dir: TeamDirectory,
): { key: string; written: string }[] {
  const found = new Map<string, string>();
  for (const written of [...report.hosts, ...report.indicators]) {
    if (written.trim() === '' || truth.includes(written)) continue;
    const host = dir.knownHost(written);
    const key = host !== undefined ? `host:${host}` : indicatorKey(parseIndicator(written));
    if (!found.has(key)) found.set(key, written);
  }
  return [...found].map(([key, written]) => ({ key, written }));
}
