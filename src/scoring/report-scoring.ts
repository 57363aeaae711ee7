/**
 * What a submitted report earns (detection and report expectations) and costs (false positives).
 */
import type { ExpectationPlan } from '../compiler/plan';
import { creditShare, itemsNamed } from './detection-match';
import { falsePositives } from './false-positives';
import { type IncidentReport, reportFromEvent } from './incident-report';
import type { ScoreLedger } from './score-ledger';
import type { ScoringEvent } from './scoring-events';

/** Detection expectations take any report; report expectations their kind (and recipient). */
export function reportQualifies(plan: ExpectationPlan, report: IncidentReport): boolean {
  if (plan.type === 'detection') return true;
  if (plan.type !== 'report' || !plan.report) return false;
  if (report.kind !== plan.report.kind) return false;
  return plan.report.to === undefined || report.to === plan.report.to;
}

export function scoreReport(
  ledger: ScoreLedger,
  event: Extract<ScoringEvent, { type: 'report.submitted' }>,
): void {
  const report = reportFromEvent(event.payload);
  const by = report.actor;
  for (const [id, x] of ledger.expectations) {
    if (!reportQualifies(x.plan, report)) continue;
    const factor = ledger.factorAt(id, event.scenarioTime);
    if (factor === undefined) continue;
    if (x.plan.type === 'report' && !x.plan.match) {
      const why = `${report.kind} report${report.to ? ` to ${report.to}` : ''} submitted`;
      ledger.credit({ expectation: id, share: 1, factor, event, by, why });
      continue;
    }
    const target = x.target!;
    const fresh = itemsNamed(target, report, ledger.dir).filter((k) => !x.score.named.includes(k));
    if (fresh.length === 0) continue;
    x.score.named.push(...fresh);
    const share = creditShare(x.score.named.length, target.require);
    const count = Math.min(x.score.named.length, target.require);
    const why = `named ${fresh.join(', ')} (${count} of ${target.require} required)`;
    ledger.credit({ expectation: id, share, factor, event, by, why });
  }
  for (const fp of falsePositives(report, ledger.truth, ledger.dir)) {
    if (ledger.penalisedFalsePositives.has(fp.key)) continue;
    ledger.penalisedFalsePositives.add(fp.key);
    const reason = `false positive: the ${report.kind} report names "${fp.written}", which no attack step touched`;
    ledger.penalty(event, 'false-positive', ledger.plan.scoring.penalties.falsePositive, by, reason);
  }
}
