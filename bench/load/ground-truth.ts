/**
 * What the scripted teams know: the plan's ground truth, turned into the moves a CSIRT would make
 * once each inject has happened to it — the report a detection expectation asks for, the
 * containment its check names, the escalation or situation report a report expectation wants —
 * and the wrong moves teams make too (isolating a critical server, reporting the scheduled
 * backup job as an incident). Derived from the plan alone, so any scenario can be driven.
 */
import type { ExpectationPlan, InjectPlan, Plan } from '../../src/compiler/plan';
import type { ActionInput } from '../../src/wire/actions';
import type { ReportInput } from '../../src/wire/report';

export type Move =
  | { kind: 'report'; report: ReportInput; scores: boolean; why: string }
  | { kind: 'action'; action: ActionInput; scores: boolean; why: string };

/** A team's moves in answer to one inject, made `lag` scenario seconds after it fired for the team. */
export interface Reaction {
  inject: string;
  /** A search that shows the inject in the team's telemetry (what an analyst would type). */
  search: { text?: string; filters?: Record<string, string> };
  moves: Move[];
}

export interface Traits {
  /** Scenario seconds between an inject firing and the team acting on it. */
  lag: number;
  /** Names only one item of what a detection asks (partial credit). */
  sloppy: boolean;
  /** Isolates a critical server once (a destructive action). */
  heavyHanded: boolean;
  /** Reports the scheduled backup job as an incident (a false positive). */
  jumpy: boolean;
  /** Never isolates the first infected host (the scenario's "not isolated" branch runs). */
  hesitant: boolean;
  /** Writes reports as drafts first (create, update, submit) instead of one POST. */
  drafts: boolean;
}

/** Team `index` (0-based) of `count`: a spread of quick and slow, careful and careless teams. */
export function traitsOf(index: number): Traits {
  return {
    lag: 120 + index * 90,
    sloppy: index % 4 === 3,
    heavyHanded: index % 3 === 1,
    jumpy: index % 3 === 2,
    hesitant: index % 5 === 4,
    drafts: index % 2 === 0,
  };
}

function accountOf(plan: Plan, user: string): string {
  return plan.users.find((u) => u.id === user)?.account ?? user;
}

function detectionReport(plan: Plan, inject: InjectPlan, x: ExpectationPlan, sloppy: boolean): ReportInput {
  const m = x.match!;
  const full = {
    hosts: m.hosts,
    accounts: m.users.map((u) => accountOf(plan, u)),
    indicators: m.indicators,
    techniques: m.techniques,
  };
  const one =
    m.techniques.length > 0 ? { techniques: m.techniques.slice(0, 1) } : { hosts: m.hosts.slice(0, 1) };
  return {
    kind: 'incident',
    to: 'csirt',
    title: `${x.title} (${inject.id})`.slice(0, 200),
    ...(sloppy ? one : full),
    timeline: [{ at: 'now', text: `seen while triaging ${inject.title}`.slice(0, 2000) }],
    narrative: `Scripted load team: ${inject.expected.join(' / ')}`.slice(0, 20_000),
  };
}

function containment(plan: Plan, x: ExpectationPlan): ActionInput | undefined {
  const c = x.check;
  if (!c) return undefined;
  if ('isolated' in c) return { action: 'host.isolate', host: c.isolated, reason: x.title };
  if ('blocked' in c) return { action: 'proxy.block', domain: c.blocked, reason: x.title };
  if ('accountDisabled' in c)
    return { action: 'account.disable', account: accountOf(plan, c.accountDisabled), reason: x.title };
  if ('processKilled' in c)
    return {
      action: 'process.kill',
      host: c.processKilled.host,
      process: c.processKilled.name,
      reason: x.title,
    };
  return undefined;
}

function searchFor(inject: InjectPlan): Reaction['search'] {
  const a = inject.action;
  if (a.type === 'beacon') return { text: a.domain };
  const x = inject.expectations.find((e) => e.match);
  if (x?.match?.indicators[0]) return { text: x.match.indicators[0] };
  if (a.type === 'telemetry' && a.events[0]) return { filters: { 'host.name': a.events[0].host } };
  if ('host' in a && typeof a.host === 'string') return { filters: { 'host.name': a.host } };
  return { filters: { 'event.action': 'proxy-request' } };
}

/** The moves of a team with `traits`, inject by inject; injects no one reacts to are left out. */
export function reactions(plan: Plan, traits: Traits): Reaction[] {
  const out: Reaction[] = [];
  let firstIsolation = true;
  let destructiveDone = false;
  let falsePositiveDone = false;
  for (const inject of plan.injects) {
    const moves: Move[] = [];
    for (const x of inject.expectations) {
      if (x.type === 'detection' && x.match) {
        moves.push({
          kind: 'report',
          report: detectionReport(plan, inject, x, traits.sloppy),
          scores: true,
          why: x.id,
        });
      } else if (x.type === 'report' && x.report) {
        moves.push({
          kind: 'report',
          report: {
            kind: x.report.kind,
            ...(x.report.to ? { to: x.report.to as ReportInput['to'] } : {}),
            title: x.title.slice(0, 200),
            narrative: `Scripted load team answering ${inject.title}`.slice(0, 20_000),
          },
          scores: true,
          why: x.id,
        });
      } else if (x.type === 'containment') {
        const action = containment(plan, x);
        if (!action) continue;
        if (action.action === 'host.isolate' && firstIsolation) {
          firstIsolation = false;
          if (traits.hesitant) continue;
        }
        moves.push({ kind: 'action', action, scores: false, why: x.id });
      }
    }
    // Wrong moves, once each, at the first inject that gives a reason to act.
    if (traits.heavyHanded && !destructiveDone && moves.some((m) => m.kind === 'action')) {
      destructiveDone = true;
      const host = plan.scoring.critical[0];
      if (host)
        moves.push({
          kind: 'action',
          action: { action: 'host.isolate', host, reason: 'isolate everything that might be touched' },
          scores: true,
          why: 'destructive',
        });
    }
    const bait =
      inject.expectations.length === 0 && inject.trigger.kind === 'cron' && inject.action.type === 'telemetry'
        ? inject.action.events[0]
        : undefined;
    if (traits.jumpy && !falsePositiveDone && bait) {
      falsePositiveDone = true;
      moves.push({
        kind: 'report',
        report: {
          kind: 'incident',
          to: 'csirt',
          title: `Suspicious mass copy on ${bait.host}`,
          hosts: [bait.host],
          indicators: [
            String(bait.fields['process.command_line'] ?? bait.fields['process.name'] ?? bait.host),
          ],
          narrative: 'Looks like staging for exfiltration.',
        },
        scores: true,
        why: 'false-positive',
      });
    }
    if (moves.length > 0) out.push({ inject: inject.id, search: searchFor(inject), moves });
  }
  return out;
}
