/**
 * Live scoreboard benchmark (issue 5): 50 teams × 10 connected clients + 100 spectators on
 * loopback, score changes appended in the server's process at the exercise's peak rate, and the
 * latency from each scoring event to its arrival at every client (p50/p99/max), with the
 * server's CPU and memory. The clients live in two child processes, so their decoding does not
 * share the server's event loop.
 *
 * The limit, measured in the same run with the same 600 clients: a bare socket.io broadcast of a
 * payload of the board's size at the same rate, from a plain server in the same process.
 *
 * Peak rate: every team's score changing once a second (50 changes/s) — more than an exercise
 * makes (a scenario step, a report, an action or an availability round moves a team's score a few
 * times a minute), so the figure is an upper bound. Each change is a destructive action (the
 * domain controller isolated: −100), which the scorer folds and pushes to every audience.
 *
 * Run: npm run bench:scoreboard   [-- --rate 50 --changes 300]   (about 40 s)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadPlan } from '../src/cli/load-plan';
import type { EngineEvent } from '../src/engine/events/event-types';
import { SessionRunner } from '../src/engine/session/session-runner';
import { EventStore } from '../src/engine/store/event-store';
import { DEFAULTS } from '../src/server/config';
import { createServer } from '../src/server/server';
import type { ScoreboardView } from '../src/wire/views';

const TEAMS = 50;
const PER_TEAM = 10;
const SPECTATORS = 100;
const CHILDREN = 2;
const TARGET_P99_MS = 50;
const SESSION = 'bench-scoreboard';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};

const clock = () => performance.timeOrigin + performance.now();

interface ClientSpec {
  cookie?: string;
  team?: string;
}

interface Change {
  team: string;
  /** The team's total once this change is folded. */
  total: number;
}

type ToChild =
  | { kind: 'connect'; url: string; bareUrl: string; clients: ClientSpec[]; changes: Change[]; bare: number }
  | { kind: 'report' };
type FromChild =
  | { kind: 'ready' }
  | { kind: 'report'; scoring: number[][]; bare: number[][]; missing: number };

// ── child: a few hundred clients ─────────────────────────────────────────────────────────────

function runChild(): void {
  let scoring: number[][] = [];
  let bare: number[][] = [];
  let missing = 0;
  const sockets: Socket[] = [];
  process.on('message', async (m: ToChild) => {
    if (m.kind === 'report') {
      for (const s of sockets) s.disconnect();
      const reply: FromChild = { kind: 'report', scoring, bare, missing };
      process.send?.(reply, () => process.exit(0));
      return;
    }
    const byTeam = new Map<string, { index: number; total: number }[]>();
    m.changes.forEach((c, index) => {
      const list = byTeam.get(c.team) ?? [];
      list.push({ index, total: c.total });
      byTeam.set(c.team, list);
    });
    scoring = m.clients.map(() => new Array<number>(m.changes.length).fill(Number.NaN));
    bare = m.clients.map(() => new Array<number>(m.bare).fill(Number.NaN));
    await Promise.all(
      m.clients.map(async (spec, ci) => {
        const main = ioClient(m.url, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { cookie: spec.cookie ?? '' },
        });
        const plain = ioClient(m.bareUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
        sockets.push(main, plain);
        const next = new Map<string, number>();
        main.on('scoreboard:update', (b: ScoreboardView) => {
          const at = clock();
          for (const row of b.rows) {
            const list = byTeam.get(row.team);
            if (!list) continue;
            let k = next.get(row.team) ?? 0;
            while (k < list.length && row.total <= list[k]!.total) {
              if (Number.isNaN(scoring[ci]![list[k]!.index]!)) scoring[ci]![list[k]!.index] = at;
              k++;
            }
            next.set(row.team, k);
          }
        });
        plain.on('bench:bare', (p: { i: number }) => {
          bare[ci]![p.i] = clock();
        });
        await Promise.all(
          [main, plain].map(
            (s) =>
              new Promise<void>((resolve, reject) => {
                s.once('connect', () => resolve());
                s.once('connect_error', reject);
              }),
          ),
        );
      }),
    );
    missing = 0;
    process.send?.({ kind: 'ready' } satisfies FromChild);
  });
}

// ── server: the exercise, a bare socket.io server, and the schedule ──────────────────────────

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function login(url: string, token: string): Promise<string> {
  const r = await fetch(`${url}/api/auth/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (r.status !== 200) throw new Error(`join failed: ${r.status}`);
  return r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** The shipped quickstart, from the sources (`bench/`) or the build (`dist/bench/`). */
function quickstartPath(): string {
  const up = __dirname.includes(`${join('dist', 'bench')}`) ? '../..' : '..';
  return join(__dirname, up, 'scenarios/quickstart.yaml');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runServer(): Promise<void> {
  const rate = arg('rate', 50);
  const changes = Math.round(arg('changes', 300));
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-bench-board-'));
  const plan = loadPlan(quickstartPath(), {
    fidelity: 'simulated',
    teams: TEAMS,
  });
  const store = new EventStore(join(dir, 'exercise.db'));
  SessionRunner.create(store, { id: SESSION, plan, scenarioEpochMs: Date.UTC(2026, 0, 5, 10) });
  store.append({
    session: SESSION,
    scenarioTime: 0,
    wallTime: Date.now(),
    event: { type: 'clock.started', team: null, payload: { compression: 1 } },
  });
  const server = await createServer({
    store,
    session: SESSION,
    plan,
    config: { ...DEFAULTS, port: 0, pollMs: 100, loginAttempts: 1000 },
    log: () => undefined,
  }).listen();
  const bareHttp = createHttpServer();
  const bareIo = new Server(bareHttp, { serveClient: false });
  await new Promise<void>((r) => bareHttp.listen(0, '127.0.0.1', () => r()));
  const bareUrl = `http://127.0.0.1:${(bareHttp.address() as AddressInfo).port}`;

  // Logins: one per team (10 sockets each), five for 100 spectators (20 sockets per login at most).
  const teamIds = plan.teams.map((t) => t.id);
  const specs: ClientSpec[] = [];
  for (const team of teamIds) {
    const cookie = await login(server.url, server.createJoinLink({ role: 'team', team }).token);
    for (let i = 0; i < PER_TEAM; i++) specs.push({ cookie, team });
  }
  for (let l = 0; l < SPECTATORS / 20; l++) {
    const cookie = await login(server.url, server.createJoinLink({ role: 'spectator' }).token);
    for (let i = 0; i < 20; i++) specs.push({ cookie });
  }

  const schedule: Change[] = [];
  const totals = new Map<string, number>();
  for (let i = 0; i < changes; i++) {
    const team = teamIds[i % teamIds.length]!;
    const total = (totals.get(team) ?? 0) - 100;
    totals.set(team, total);
    schedule.push({ team, total });
  }

  const children = Array.from({ length: CHILDREN }, () =>
    fork(__filename, ['clients'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const per = Math.ceil(specs.length / CHILDREN);
  const ask = (child: (typeof children)[number], m: ToChild) =>
    new Promise<FromChild>((resolve) => {
      child.once('message', (r: FromChild) => resolve(r));
      child.send(m);
    });
  const t0Connect = performance.now();
  await Promise.all(
    children.map((c, i) =>
      ask(c, {
        kind: 'connect',
        url: server.url,
        bareUrl,
        clients: specs.slice(i * per, (i + 1) * per),
        changes: schedule,
        bare: changes,
      }),
    ),
  );
  console.log(
    `${specs.length} clients connected to both servers in ${((performance.now() - t0Connect) / 1000).toFixed(1)} s ` +
      `(${TEAMS} teams × ${PER_TEAM} + ${SPECTATORS} spectators, ${CHILDREN} client processes)`,
  );
  await sleep(1000);

  const spacing = 1000 / rate;
  // The bare broadcast carries the public board itself, so both paths send the same bytes.
  const boardCookie = await login(server.url, server.createJoinLink({ role: 'spectator' }).token);
  const board = await new Promise<ScoreboardView>((resolve, reject) => {
    const s = ioClient(server.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: { cookie: boardCookie },
    });
    s.once('scoreboard:update', (b: ScoreboardView) => {
      s.disconnect();
      resolve(b);
    });
    s.once('connect_error', reject);
  });

  // Phase 1: bare socket.io broadcast at the same rate.
  const bareSent: number[] = [];
  const start1 = performance.now();
  for (let i = 0; i < changes; i++) {
    const due = start1 + i * spacing;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    bareSent[i] = clock();
    bareIo.emit('bench:bare', { i, board });
  }
  await sleep(1500);

  // Phase 2: scoring events through the real path (append → fold → push to every audience).
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const sent: number[] = [];
  for (let i = 0; i < changes; i++) {
    const due = wall0 + i * spacing;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const event: EngineEvent = {
      type: 'team.action',
      team: schedule[i]!.team,
      payload: { actor: 'bench', action: 'isolate', detail: { host: 'dc' } },
    };
    sent[i] = clock();
    store.append({ session: SESSION, event, scenarioTime: 0, wallTime: Date.now() });
    server.notify();
  }
  await sleep(2000);
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - wall0;
  const rss = process.memoryUsage().rss;

  const reports = (await Promise.all(children.map((c) => ask(c, { kind: 'report' })))) as Extract<
    FromChild,
    { kind: 'report' }
  >[];
  const scoring: number[] = [];
  const bare: number[] = [];
  let lost = 0;
  for (const r of reports) {
    for (const [samples, arrivals, origin] of [
      [scoring, r.scoring, sent],
      [bare, r.bare, bareSent],
    ] as const) {
      for (const client of arrivals)
        for (let i = 0; i < client.length; i++) {
          if (Number.isNaN(client[i]!)) lost++;
          else samples.push(client[i]! - origin[i]!);
        }
    }
  }
  console.log(`load average ${loadavg()[0]!.toFixed(1)} (1 min) on ${availableParallelism()} cores`);
  scoring.sort((a, b) => a - b);
  bare.sort((a, b) => a - b);
  const f = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `${changes} changes at ${rate}/s; ${specs.length} clients; samples: scoring ${scoring.length}, bare ${bare.length}, missing ${lost}`,
  );
  console.log(
    `bare socket.io broadcast: p50 ${f(percentile(bare, 50))}  p99 ${f(percentile(bare, 99))}  max ${f(bare.at(-1) ?? Number.NaN)}`,
  );
  console.log(
    `scoring event → client:   p50 ${f(percentile(scoring, 50))}  p99 ${f(percentile(scoring, 99))}  max ${f(scoring.at(-1) ?? Number.NaN)}`,
  );
  console.log(
    `ratio scoring/bare: p50 ${(percentile(scoring, 50) / percentile(bare, 50)).toFixed(2)}  p99 ${(percentile(scoring, 99) / percentile(bare, 99)).toFixed(2)}; ` +
      `target p99 ${TARGET_P99_MS} ms: ${percentile(scoring, 99) < TARGET_P99_MS ? 'met' : 'MISSED'}`,
  );
  console.log(
    `server process during the scoring phase: CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms over ${(wall / 1000).toFixed(1)} s ` +
      `(${((cpu.user + cpu.system) / 10 / wall).toFixed(0)}% of one core), RSS ${(rss / 2 ** 20).toFixed(0)} MB`,
  );

  await server.stop();
  bareIo.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === 'clients') runChild();
else
  runServer().catch((e) => {
    console.error(e);
    process.exit(1);
  });
