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
import { loadavg, tmpdir } from 'node:os';
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
import type { ProbeSample } from './probe';
import { reconcile } from './reconcile';
import { type ScoringWrite, ScriptedTeam } from './scripted-team';
import { cpuSecondsOf, rssOf, serverCode, startServe } from './serve-process';
import { type ClientRecord, type ClientSpec, forkClientGroup } from './socket-clients';
import { type DayResult, type Sample, summarise, table } from './summary';

export { type DayResult, table };

const SESSION = 'load-day';
const JOINS_PER_ADDRESS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
