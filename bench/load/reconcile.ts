/**
 * The end-of-day accounts: what the plan said would happen, what the server acknowledged, what
 * the database holds after the server stopped, and what the connected clients saw — compared
 * count by count and id by id. Each comparison is one named check with its figures.
 */
import type { Plan } from '../../src/compiler/plan';
import type { StoredEvent } from '../../src/engine/events/event-types';
import { cronOccurrences } from '../../src/engine/scheduler/cron-occurrences';
import type { MselView } from '../../src/wire/msel';
import type { ScoreboardView } from '../../src/wire/views';
import type { TeamLedger } from './scripted-team';
import type { ClientRecord } from './socket-clients';

export interface Check {
  name: string;
  ok: boolean;
  /** What was measured, with its limit or counterpart. */
  detail: string;
}

export interface DayFacts {
  plan: Plan;
  epochMs: number;
  events: readonly StoredEvent[];
  msel: MselView;
  ledgers: ReadonlyMap<string, TeamLedger>;
  clients: readonly ClientRecord[];
  staffBoard: ScoreboardView;
  publicBoard: ScoreboardView;
  /** Manual injects the controller fired for all teams (acknowledged). */
  manualFires: ReadonlySet<string>;
}

const sameSet = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort((x, y) => x - y).join() === [...b].sort((x, y) => x - y).join();

function byTeam(events: readonly StoredEvent[], type: string, team: string): StoredEvent[] {
  return events.filter((e) => e.type === type && e.team === team);
}

/** Injects: fired per team as the plan's MSEL says (cron occurrences counted), and as the MSEL view shows. */
function injectChecks(f: DayFacts): Check[] {
  const problems: string[] = [];
  let fired = 0;
  let expected = 0;
  for (const team of f.plan.teams.map((t) => t.id)) {
    for (const inject of f.plan.injects) {
      const of = (type: string) =>
        f.events.filter(
          (e) => e.type === type && e.team === team && (e.payload as { inject: string }).inject === inject.id,
        ).length;
      const stored = of('inject.fired');
      // The MSEL view counts every recorded occurrence: fired, or skipped (a branch not taken).
      const recorded = stored + of('inject.skipped');
      fired += stored;
      const view = f.msel.injects.find((i) => i.id === inject.id)?.teams[team];
      if (!view) {
        problems.push(`${team}/${inject.id}: missing from the MSEL view`);
        continue;
      }
      if (view.occurrences !== recorded)
        problems.push(`${team}/${inject.id}: MSEL shows ${view.occurrences}, database holds ${recorded}`);
      const t = inject.trigger;
      let want: number | 'either';
      if (t.kind === 'manual') want = f.manualFires.has(inject.id) ? 1 : 0;
      else if (inject.condition) want = 'either';
      else if (t.kind === 'cron')
        want = cronOccurrences(t.expression, {
          from: t.from,
          until: Math.min(t.until, f.plan.scenario.duration),
          epochMs: f.epochMs,
          timezone: f.plan.scenario.timezone,
        }).length;
      else want = 1;
      if (want === 'either') {
        if (view.state === 'pending') problems.push(`${team}/${inject.id}: conditional inject never decided`);
        if (stored > 0) expected += stored;
      } else {
        expected += want;
        if (stored !== want)
          problems.push(`${team}/${inject.id}: plan says ${want} firing(s), database holds ${stored}`);
      }
    }
  }
  return [
    {
      name: 'injects fired = plan MSEL = MSEL view',
      ok: problems.length === 0 && fired > 0,
      detail: `${fired} firings stored, ${expected} expected from the plan${problems.length ? `; ${problems.slice(0, 5).join('; ')}` : ''}`,
    },
  ];
}

/** Writes: every acknowledged report and action is stored (same ids), and nothing else was. */
function writeChecks(f: DayFacts): Check[] {
  const bad: string[] = [];
  let reports = 0;
  let actions = 0;
  for (const [team, l] of f.ledgers) {
    const storedReports = byTeam(f.events, 'report.submitted', team).map((e) => e.seq);
    const storedActions = byTeam(f.events, 'team.action', team).map((e) => e.seq);
    reports += storedReports.length;
    actions += storedActions.length;
    if (!sameSet(storedReports, l.reports))
      bad.push(`${team}: reports acked ${l.reports.length}, stored ${storedReports.length}`);
    if (!sameSet(storedActions, l.actions))
      bad.push(`${team}: actions acked ${l.actions.length}, stored ${storedActions.length}`);
  }
  return [
    {
      name: 'reports and actions: stored = acknowledged',
      ok: bad.length === 0 && reports > 0 && actions > 0,
      detail: `${reports} reports, ${actions} actions stored${bad.length ? `; ${bad.join('; ')}` : ', ids equal'}`,
    },
  ];
}

/** What clients saw: inbox messages and actions of their team, the final boards, the same versions. */
function clientChecks(f: DayFacts): Check[] {
  const out: Check[] = [];
  const bad: string[] = [];
  let teamSockets = 0;
  const allActions = f.events.filter((e) => e.type === 'team.action').map((e) => e.seq);
  const allAlerts = f.events.filter((e) => e.type === 'alert.raised').length;
  for (const c of f.clients) {
    if (c.role === 'team' && c.team) {
      teamSockets++;
      const messages = f.events
        .filter((e) => e.type === 'message.delivered' && (e.team === c.team || e.team === null))
        .map((e) => e.seq);
      if (!sameSet(c.inbox, messages))
        bad.push(`${c.team} socket: inbox ${c.inbox.length} vs stored ${messages.length}`);
      const actions = byTeam(f.events, 'team.action', c.team).map((e) => e.seq);
      if (!sameSet(c.actions, actions))
        bad.push(`${c.team} socket: actions ${c.actions.length} vs stored ${actions.length}`);
      const alerts = byTeam(f.events, 'alert.raised', c.team).length;
      if (c.alerts !== alerts) bad.push(`${c.team} socket: alerts ${c.alerts} vs stored ${alerts}`);
    } else if (c.role === 'controller' || c.role === 'evaluator') {
      if (!sameSet(c.actions, allActions))
        bad.push(`${c.role} socket: actions ${c.actions.length} vs ${allActions.length}`);
      if (c.alerts !== allAlerts) bad.push(`${c.role} socket: alerts ${c.alerts} vs ${allAlerts}`);
    }
  }
  out.push({
    name: 'pushes seen = stored (inbox, actions, alerts)',
    ok: bad.length === 0 && teamSockets > 0,
    detail: `${teamSockets} team sockets, ${f.clients.length - teamSockets} others${bad.length ? `; ${bad.slice(0, 5).join('; ')}` : ', every id accounted for'}`,
  });

  // The score every client ended with = the board the server serves = the log's score.changed sum.
  const sums = new Map<string, number>();
  for (const e of f.events)
    if (e.type === 'score.changed' && e.team)
      sums.set(e.team, (sums.get(e.team) ?? 0) + (e.payload as { delta: number }).delta);
  const staffTotals = Object.fromEntries(f.staffBoard.rows.map((r) => [r.team, r.total]));
  const publicTotals = Object.fromEntries(f.publicBoard.rows.map((r) => [r.team, r.total]));
  const logBad = f.plan.teams.filter((t) => (sums.get(t.id) ?? 0) !== staffTotals[t.id]).map((t) => t.id);
  const boardBad: string[] = [];
  for (const c of f.clients) {
    const want = c.audience === 'public' ? publicTotals : staffTotals;
    const version = f.staffBoard.version;
    if (c.finalVersion !== version) boardBad.push(`${c.role}: last version ${c.finalVersion} ≠ ${version}`);
    else if (JSON.stringify(c.finalTotals) !== JSON.stringify(want))
      boardBad.push(`${c.role}: final totals differ`);
  }
  out.push({
    name: 'final board: clients = server = log',
    ok: logBad.length === 0 && boardBad.length === 0,
    detail:
      `staff totals ${JSON.stringify(staffTotals)}; score.changed sums ${logBad.length ? `differ for ${logBad.join(', ')}` : 'equal'}; ` +
      `${f.clients.length - boardBad.length}/${f.clients.length} clients ended on version ${f.staffBoard.version} with the same totals` +
      (boardBad.length ? ` (${boardBad.slice(0, 3).join('; ')})` : ''),
  });

  // Every client received the same board versions once all were connected.
  const start = Math.max(...f.clients.map((c) => c.boards[0]?.[0] ?? Number.POSITIVE_INFINITY));
  const seqOf = (c: ClientRecord) =>
    c.boards
      .map(([v]) => v)
      .filter((v) => v >= start)
      .join(',');
  const ref = f.clients[0] ? seqOf(f.clients[0]) : '';
  const differing = f.clients.filter((c) => seqOf(c) !== ref).length;
  const boardsEach = ref === '' ? 0 : ref.split(',').length;
  out.push({
    name: 'every client saw every board',
    ok: differing === 0 && boardsEach > 1,
    detail: `${boardsEach} board versions from ${start} on, identical at ${f.clients.length - differing}/${f.clients.length} clients`,
  });
  return out;
}

export function reconcile(f: DayFacts): Check[] {
  return [...injectChecks(f), ...writeChecks(f), ...clientChecks(f)];
}
