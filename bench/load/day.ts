/**
 * A full simulated day under load (issue 7), in one process tree: a real `cyrange serve` of the
 * flagship scenario for 10 teams (simulated driver, real SQLite file, real HTTP and socket.io),
 * scripted teams working their consoles over HTTP, hundreds of socket.io clients in child
 * processes holding the board open all day, the server's memory and event loop sampled, and at
 * the end the accounts reconciled between the plan, the API's acknowledgements, the database
 * and what the clients saw. `runDay` returns the checks; `main` prints them and exits 1 on a miss.
 *
 * Run: npm run bench:load   (≈ 30 min)   [-- --reduced: the CI test's 75-second day]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { loadPlan } from '../../src/cli/load-plan';
import type { StoredEvent } from '../../src/engine/events/event-types';
import { EventStore } from '../../src/engine/store/event-store';
import type { MselView } from '../../src/wire/msel';
import type { ScoreboardView } from '../../src/wire/views';
import { type DayOptions, fullDay, reducedDay, socketMix } from './day-options';
import { reactions, traitsOf } from './ground-truth';
import { Browser, loopbackAddress, newTally, send } from './http-client';
import { median, percentile, scoreboardLatency } from './latency';
import type { ProbeSample } from './probe';
import { type Check, reconcile } from './reconcile';
import { type ScoringWrite, ScriptedTeam } from './scripted-team';
import { cpuSecondsOf, rssOf, serverCode, startServe } from './serve-process';
import { type ClientRecord, type ClientSpec, forkClientGroup } from './socket-clients';

const SESSION = 'load-day';
const JOINS_PER_ADDRESS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DayResult {
  checks: Check[];
  /** Figures for the docs, one line each. */
  figures: string[];
  ok: boolean;
}

interface Sample {
  t: number;
  rss: number;
  healthMs: number;
}

function epochOf(db: string): number {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const row = d
      .prepare("SELECT payload FROM events WHERE session = ? AND type = 'session.created'")
      .get(SESSION) as { payload: string } | undefined;
    if (!row) throw new Error(`${db}: no session.created for ${SESSION}`);
    return (JSON.parse(row.payload) as { scenarioEpochMs: number }).scenarioEpochMs;
  } finally {
    d.close();
  }
}

export async function runDay(o: DayOptions): Promise<DayResult> {
  const plan = loadPlan(o.scenario, { fidelity: 'simulated', teams: o.teams });
  const speed = Math.ceil((plan.scenario.duration / o.dayWallSeconds) * 100) / 100;
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-load-day-'));
  const db = join(dir, 'exercise.db');
  const probeFile = join(dir, 'probe.jsonl');
  const tally = newTally();
  const groups = Array.from({ length: o.clientProcesses }, () => forkClientGroup());
  const code = serverCode();
  o.log(`cyrange serve runs from the ${code}`);
  const serve = await startServe({
    code,
    scenario: o.scenario,
    db,
    session: SESSION,
    teams: o.teams,
    probeFile,
    probeEveryMs: o.sampleMs,
  });
  try {
    return await drive(o, { plan, speed, db, probeFile, tally, groups, serve, code });
  } catch (e) {
    o.log(`the server's last output:\n${serve.output().slice(-3000)}`);
    throw e;
  } finally {
    await serve.stop(20_000);
    for (const g of groups) g.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Ctx = {
  plan: ReturnType<typeof loadPlan>;
  speed: number;
  db: string;
  probeFile: string;
  tally: ReturnType<typeof newTally>;
  groups: ReturnType<typeof forkClientGroup>[];
  serve: Awaited<ReturnType<typeof startServe>>;
  code: 'build' | 'sources';
};

async function drive(o: DayOptions, x: Ctx): Promise<DayResult> {
  const { plan, speed, serve, tally } = x;
  const teams = plan.teams.map((t) => t.id);
  let joins = 0;
  const join = (token: string) =>
    Browser.join(serve.url, token, tally, loopbackAddress(joins++, JOINS_PER_ADDRESS));
  const controller = await join(serve.tokens.get('controller')!);
  const spectator = await join(serve.tokens.get('spectator')!);

  // The controller makes one link per audience for the browsers; every browser logs in with it.
  const link = async (role: string, team?: string) => {
    const r = await controller.req<{ token: string }>('POST', '/api/links', {
      role,
      ...(team ? { team } : {}),
      label: `load-${team ?? role}`,
    });
    if (r.status !== 201) throw new Error(`POST /api/links ${role}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token;
  };
  const mix = socketMix(o.sockets, teams.length);
  const wanted: { role: ClientSpec['role']; team?: string; token: string }[] = [];
  for (const team of teams) {
    const token = await link('team', team);
    for (let i = 0; i < mix.perTeam; i++) wanted.push({ role: 'team', team, token });
  }
  for (const [role, n] of [
    ['spectator', mix.spectators],
    ['evaluator', mix.evaluators],
    ['controller', mix.controllers],
  ] as const) {
    const token = await link(role);
    for (let i = 0; i < n; i++) wanted.push({ role, token });
  }
  const t0Login = Date.now();
  const specs: ClientSpec[] = [];
  for (let i = 0; i < wanted.length; i += 10) {
    const batch = await Promise.all(wanted.slice(i, i + 10).map((w) => join(w.token)));
    batch.forEach((b, k) => {
      const w = wanted[i + k]!;
      specs.push({ cookie: b.cookie, role: w.role, ...(w.team ? { team: w.team } : {}) });
    });
  }
  specs.find((s) => s.role === 'evaluator')!.reference = true;
  const loginMs = Date.now() - t0Login;
  const t0Connect = Date.now();
  const ready = await Promise.all(
    x.groups.map((g, i) =>
      g.connect(
        serve.url,
        specs.filter((_, k) => k % x.groups.length === i),
      ),
    ),
  );
  const connected = ready.reduce((n, r) => n + r.connected, 0);
  o.log(
    `${specs.length} browsers logged in (${loginMs} ms) and ${connected} sockets connected in ${Date.now() - t0Connect} ms ` +
      `(${mix.perTeam}/team × ${teams.length}, ${mix.spectators} spectators, ${mix.evaluators} evaluators, ${mix.controllers} controllers)`,
  );

  const epochMs = epochOf(x.db);
  const scripted = await Promise.all(
    teams.map(async (team, i) => {
      const browser = await join(serve.tokens.get(team)!);
      return { team, browser, traits: traitsOf(i) };
    }),
  );

  // Start the day.
  const started = await controller.req<{ scenarioTime: number; status: string }>(
    'POST',
    '/api/exercise/clock',
    {
      action: 'start',
      speed,
    },
  );
  if (started.status !== 200)
    throw new Error(`clock start: ${started.status} ${JSON.stringify(started.body)}`);
  const startWall = started.answeredAt;
  const scenarioNow = () => ((Date.now() - startWall) / 1000) * speed;
  o.log(`day started at ×${speed}: ${plan.scenario.duration} scenario s in ≈ ${o.dayWallSeconds} s wall`);

  let msel: MselView | undefined;
  const writes: ScoringWrite[] = [];
  const actors = scripted.map(
    (s, i) =>
      new ScriptedTeam({
        browser: s.browser,
        team: s.team,
        otherTeam: teams[(i + 1) % teams.length]!,
        traits: s.traits,
        reactions: reactions(plan, s.traits),
        epochMs,
        scenarioNow,
        msel: () => msel,
        onScoringWrite: (w) => writes.push(w),
      }),
  );

  const deadline = Date.now() + o.dayWallSeconds * 1500 + o.deadlineSlackSeconds * 1000;
  const ended = () => /exercise ended/.test(serve.output());
  const running = () => !ended() && Date.now() < deadline;
  const samples: Sample[] = [];
  const cpuAtStart = cpuSecondsOf(serve.pid) ?? 0;
  const driverLag = monitorEventLoopDelay({ resolution: 10 });
  driverLag.enable();
  const manualFires = new Set<string>();
  const manual = plan.injects.filter((i) => i.trigger.kind === 'manual');

  const controllerLoop = async () => {
    let n = 0;
    while (running()) {
      const r = await controller.req<MselView>('GET', '/api/exercise/msel');
      if (r.status === 200) msel = r.body;
      if (++n % 5 === 0) await controller.req('GET', '/api/scoreboard');
      // The white cell fires the manual injects (a vendor answering the teams) mid-day.
      if (scenarioNow() > plan.scenario.duration / 2) {
        for (const i of manual.filter((m) => !manualFires.has(m.id))) {
          const f = await controller.req('POST', `/api/exercise/injects/${i.id}/fire`, {
            reason: 'load day',
          });
          if (f.status === 202) manualFires.add(i.id);
        }
      }
      await sleep(o.tickMs / 2);
    }
  };
  const teamLoop = async (a: ScriptedTeam, i: number) => {
    await sleep((o.tickMs * i) / teams.length);
    while (running()) {
      await a.tick();
      await sleep(o.tickMs);
    }
  };
  const sampler = async () => {
    while (running()) {
      const h = await send(serve.url, 'GET', '/api/health', tally);
      const rss = rssOf(serve.pid);
      if (rss !== undefined) samples.push({ t: Date.now(), rss, healthMs: h.answeredAt - h.sentAt });
      await sleep(o.sampleMs);
    }
  };
  const progress = async () => {
    while (running()) {
      await sleep(Math.max(10_000, o.dayWallSeconds * 100));
      if (running())
        o.log(
          `  T+${Math.round(scenarioNow() / 60)}m: ${writes.length} scoring writes, RSS ${((samples.at(-1)?.rss ?? 0) / 2 ** 20).toFixed(0)} MB, load ${loadavg()[0]!.toFixed(1)}`,
        );
    }
  };
  await Promise.all([controllerLoop(), sampler(), progress(), ...actors.map((a, i) => teamLoop(a, i))]);
  const dayWall = (Date.now() - startWall) / 1000;
  const serverCpu = (cpuSecondsOf(serve.pid) ?? 0) - cpuAtStart;
  driverLag.disable();
  if (!ended()) throw new Error(`the day did not end within its deadline:\n${serve.output().slice(-2000)}`);
  const endWall = Date.now();
  await sleep(2000);

  const staffBoard = (await controller.req<ScoreboardView>('GET', '/api/scoreboard')).body;
  const publicBoard = (await spectator.req<ScoreboardView>('GET', '/api/scoreboard')).body;
  const finalMsel = (await controller.req<MselView>('GET', '/api/exercise/msel')).body;
  const records: ClientRecord[] = (await Promise.all(x.groups.map((g) => g.report()))).flat();
  const exitCode = await serve.stop(20_000);
  const store = new EventStore(x.db);
  let events: StoredEvent[];
  try {
    events = store.read(SESSION);
  } finally {
    store.close();
  }
  const probes = readFileSync(x.probeFile, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ProbeSample)
    // The day only: before the clock started the server compiled the plan (seconds of CPU at once).
    .filter((p) => p.t > startWall + o.sampleMs && p.t <= endWall);

  const ledgers = new Map(actors.map((a, i) => [teams[i]!, a.ledger]));
  const checks = reconcile({
    plan,
    epochMs,
    events,
    msel: finalMsel,
    ledgers,
    clients: records,
    staffBoard,
    publicBoard,
    manualFires,
  });
  return summarise(o, {
    checks,
    tally,
    records,
    writes,
    samples,
    probes,
    startWall,
    endWall,
    dayWall,
    speed,
    connected,
    specs: specs.length,
    exitCode,
    events: events.length,
    ledgers,
    serverCpu,
    driverLagMaxMs: driverLag.max / 1e6,
    code: x.code,
  });
}

function summarise(
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
      `(ratio p99/limit ${(p(99) / o.latencyP99LimitMs).toFixed(2)}); after the ack: p50 ${percentile(lat.fromAck, 50).toFixed(0)} ms, p99 ${percentile(lat.fromAck, 99).toFixed(0)} ms; ${lat.missing} never arrived`,
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

if (require.main === module) {
  const log = (line: string) => console.log(line);
  runDay(process.argv.includes('--reduced') ? reducedDay(log) : fullDay(log))
    .then((r) => {
      console.log(table(r));
      process.exitCode = r.ok ? 0 : 1;
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
