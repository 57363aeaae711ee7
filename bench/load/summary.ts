/**
 * The day's verdict: the reconciliation's checks plus the ones measured over the day — HTTP
 * answers, sockets, searches, scoreboard latency against its limit, RSS growth after warm-up
 * against its limit — each with its figures and its ratio to the limit, and the lines of figures
 * the docs quote. `table` is what `npm run bench:load` prints.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { DayOptions } from './day-options';
import type { newTally } from './http-client';
import { median, percentile, scoreboardLatency } from './latency';
import type { ProbeSample } from './probe';
import type { Check } from './reconcile';
import type { ScoringWrite, ScriptedTeam } from './scripted-team';
import type { ClientRecord } from './socket-clients';

export interface DayResult {
  checks: Check[];
  /** Figures for the docs, one line each. */
  figures: string[];
  ok: boolean;
}

export interface Sample {
  t: number;
  rss: number;
  healthMs: number;
}

export function summarise(
  o: DayOptions,
  r: {
    checks: Check[];
    tally: ReturnType<typeof newTally>;
    records: ClientRecord[];
    writes: ScoringWrite[];
    samples: Sample[];
    probes: ProbeSample[];
    startWall: number;
    endWall: number;
    dayWall: number;
    speed: number;
    connected: number;
    specs: number;
    exitCode: number | null;
    events: number;
    ledgers: Map<string, ScriptedTeam['ledger']>;
    serverCpu: number;
    driverLagMaxMs: number;
    code: string;
  },
): DayResult {
  const checks = [...r.checks];
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  const status = [...r.tally.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  const unexpected = [...r.ledgers.values()].flatMap((l) => l.unexpected);
  checks.unshift({
    name: 'HTTP: no 5xx, no failed request, no unexpected answer',
    ok: r.tally.serverErrors.length === 0 && r.tally.failures.length === 0 && unexpected.length === 0,
    detail: `answers ${status.join(' ')}; 5xx ${r.tally.serverErrors.length}, transport failures ${r.tally.failures.length}, unexpected ${unexpected.length}${unexpected.length ? ` (${unexpected.slice(0, 3).join('; ')})` : ''}${r.tally.serverErrors.length ? ` (${r.tally.serverErrors.slice(0, 3).join('; ')})` : ''}`,
  });
  const searches = [...r.ledgers.values()].reduce((n, l) => n + l.searches, 0);
  const hits = [...r.ledgers.values()].reduce((n, l) => n + l.searchHits, 0);
  checks.splice(1, 0, {
    name: 'searches found the injects in telemetry',
    ok: searches > 0 && hits * 2 >= searches,
    detail: `${hits}/${searches} searches returned records (at least half must: some look before the artifacts exist)`,
  });
  const connectErrors = r.records.reduce((n, c) => n + c.connectErrors.length, 0);
  const disconnects = r.records.reduce((n, c) => n + c.disconnects.length, 0);
  checks.splice(2, 0, {
    name: 'sockets: all connected all day',
    ok: r.connected === r.specs && connectErrors === 0 && disconnects === 0 && r.records.length === r.specs,
    detail: `${r.connected}/${r.specs} connected, ${connectErrors} connect errors, ${disconnects} disconnects before the end`,
  });
  checks.push({
    name: 'server stopped cleanly',
    ok: r.exitCode === 0,
    detail: `exit code ${r.exitCode}, ${r.events} events in the log`,
  });

  const lat = scoreboardLatency(r.writes, r.records);
  const p = (q: number) => percentile(lat.fromSend, q);
  checks.push({
    name: 'scoreboard latency p99 ≤ limit',
    ok:
      lat.fromSend.length > 0 &&
      p(99) <= o.latencyP99LimitMs &&
      lat.missing === 0 &&
      lat.attributed * 2 >= r.writes.length,
    detail:
      `${lat.attributed}/${r.writes.length} scoring writes found on the board, ${lat.fromSend.length} samples: ` +
      `p50 ${p(50).toFixed(0)} ms, p95 ${p(95).toFixed(0)} ms, p99 ${p(99).toFixed(0)} ms, max ${percentile(lat.fromSend, 100).toFixed(0)} ms ` +
      `(ratio p99/limit ${(p(99) / o.latencyP99LimitMs).toFixed(3)}); after the ack: p50 ${percentile(lat.fromAck, 50).toFixed(0)} ms, p99 ${percentile(lat.fromAck, 99).toFixed(0)} ms; ${lat.missing} never arrived`,
  });

  const warm = r.startWall + (r.endWall - r.startWall) * o.warmupShare;
  const after = r.samples.filter((s) => s.t >= warm);
  const window = Math.max(1, Math.floor(after.length * 0.15));
  const base = median(after.slice(0, window).map((s) => s.rss));
  const end = median(after.slice(-window).map((s) => s.rss));
  const growth = end / base - 1;
  const heapAfter = r.probes.filter((s) => s.t >= warm);
  const hWindow = Math.max(1, Math.floor(heapAfter.length * 0.15));
  const heapBase = median(heapAfter.slice(0, hWindow).map((s) => s.heapUsed));
  const heapEnd = median(heapAfter.slice(-hWindow).map((s) => s.heapUsed));
  checks.push({
    name: 'memory flat after warm-up (RSS)',
    ok: after.length >= 4 && growth <= o.rssGrowthLimit,
    detail:
      `RSS ${mb(base)} → ${mb(end)} (${(growth * 100).toFixed(1)} %, limit ${(o.rssGrowthLimit * 100).toFixed(0)} %, ratio ${(growth / o.rssGrowthLimit).toFixed(2)}), ` +
      `peak ${mb(Math.max(...r.samples.map((s) => s.rss)))}; heap used ${mb(heapBase)} → ${mb(heapEnd)} (${((heapEnd / heapBase - 1) * 100).toFixed(1)} %); ${r.samples.length} samples`,
  });

  const lagP99 = r.probes.map((s) => s.lagP99);
  const lagMax = Math.max(...r.probes.map((s) => s.lagMax));
  const worst = r.probes.find((s) => s.lagMax === lagMax);
  const worstAt = worst ? `, at ${((worst.t - r.startWall) / 1000).toFixed(0)} s into the day` : '';
  const health = r.samples.map((s) => s.healthMs);
  const ledgers = [...r.ledgers.values()];
  const sum = (f: (l: ScriptedTeam['ledger']) => number) => ledgers.reduce((n, l) => n + f(l), 0);
  const boards = r.records.reduce((n, c) => n + c.boards.length, 0);
  const figures = [
    `day: ${r.dayWall.toFixed(0)} s wall at ×${r.speed}; server from the ${r.code}; ${r.specs} socket clients; load average ${loadavg()[0]!.toFixed(1)} (1 min) on ${availableParallelism()} cores at the end`,
    `server CPU ${r.serverCpu.toFixed(1)} s over the day (${((r.serverCpu / r.dayWall) * 100).toFixed(0)} % of one core); driver event-loop delay max ${r.driverLagMaxMs.toFixed(0)} ms; ${r.tally.retries} requests re-sent after a keep-alive close`,
    `teams: ${sum((l) => l.reads)} reads, ${sum((l) => l.searches)} searches (${sum((l) => l.searchRecords)} records), ${sum((l) => l.drafts)} drafts, ${sum((l) => l.reports.length)} reports (+${sum((l) => l.replays)} idempotent replays), ${sum((l) => l.actions.length)} actions, ${sum((l) => l.expected4xx)} deliberate 4xx`,
    `clients received ${boards} boards (${(boards / r.records.length).toFixed(0)} each), ${r.records.reduce((n, c) => n + c.inbox.length, 0)} inbox pushes, ${r.records.reduce((n, c) => n + c.actions.length, 0)} action pushes, ${r.records.reduce((n, c) => n + c.teamScores, 0)} team-score pushes, ${r.records.reduce((n, c) => n + c.alerts, 0)} alert pushes`,
    `event-loop delay (per ${o.sampleMs} ms sample): p99 median ${median(lagP99).toFixed(1)} ms, worst p99 ${Math.max(...lagP99).toFixed(1)} ms, max ${lagMax.toFixed(1)} ms${worstAt}; /api/health round trip p50 ${median(health).toFixed(1)} ms, max ${Math.max(...health).toFixed(1)} ms`,
  ];
  return { checks, figures, ok: checks.every((c) => c.ok) };
}

/** The table `npm run bench:load` prints. */
export function table(result: DayResult): string {
  const w = Math.max(...result.checks.map((c) => c.name.length));
  return [
    ...result.checks.map((c) => `${c.ok ? 'ok  ' : 'MISS'}  ${c.name.padEnd(w)}  ${c.detail}`),
    '',
    ...result.figures,
  ].join('\n');
}
