/**
 * A real exercise server for tests: the quickstart scenario compiled, a session in a real SQLite
 * file, the server on 127.0.0.1 port 0, and clients that log in with real join links over real
 * HTTP (fetch) and socket.io. Facts the engine would write are appended to the same store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import { loadPlan } from '../../../src/cli/load-plan';
import type { Plan } from '../../../src/compiler/plan';
import type { EngineEvent, StoredEvent } from '../../../src/engine/events/event-types';
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import { DEFAULTS, type ServerConfig } from '../../../src/server/config';
import { createServer, type StartedServer } from '../../../src/server/server';
import type { TerminalBackend } from '../../../src/server/terminal/terminal-backend';
import type { Role } from '../../../src/wire/roles';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../src/wire/socket-events';

export const SESSION = 'test-session';
export const QUICKSTART = join(__dirname, '../../../scenarios/quickstart.yaml');

let cachedPlan: Plan | undefined;
export function quickstartPlan(): Plan {
  cachedPlan ??= loadPlan(QUICKSTART, { fidelity: 'simulated' });
  return structuredClone(cachedPlan);
}

/**
 * The quickstart plus a manual `debrief` expectation (60 points, graded by rubric) on
 * `report-due`: the quickstart itself has no manual expectation to grade or override.
 */
export function quickstartPlanWithDebrief(
  moreLevels: { level: string; points: number; description: string }[] = [],
): Plan {
  const plan = quickstartPlan();
  plan.injects
    .find((i) => i.id === 'report-due')!
    .expectations.push({
      id: 'debrief',
      inject: 'report-due',
      type: 'manual',
      title: 'Debrief quality',
      points: 60,
      window: 600,
      expiry: 1500,
      rubric: [{ level: 'excellent', points: 60, description: 'clear timeline' }, ...moreLevels],
    });
  return plan;
}

export interface Harness {
  server: StartedServer;
  store: EventStore;
  dbPath: string;
  plan: Plan;
  url: string;
  /** Appends facts as the engine would (scenario time given), then lets the server read them. */
  append(events: EngineEvent[], scenarioTime?: number): StoredEvent[];
  login(role: Role, team?: string): Promise<Client>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  plan?: Plan;
  config?: Partial<ServerConfig>;
  /** Start the exercise clock (default true; never with `runner`). */
  start?: boolean;
  /** Run the session with a real SessionRunner (sandbox driver) that the controller drives. */
  runner?: boolean;
  /** How long the runner's loop may run, wall ms (default 120 s). */
  runnerWallMs?: number;
  /** A built web console to serve (see `buildWeb` in test/web/support). */
  webRoot?: string;
  /** Shells for the browser terminal. */
  terminals?: TerminalBackend;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-server-'));
  const dbPath = join(dir, 'exercise.db');
  const plan = options.plan ?? quickstartPlan();
  const store = new EventStore(dbPath);
  SessionRunner.create(store, { id: SESSION, plan, scenarioEpochMs: Date.UTC(2026, 0, 5, 10) });
  if (options.start !== false && !options.runner) {
    store.append({
      session: SESSION,
      scenarioTime: 0,
      wallTime: Date.now(),
      event: { type: 'clock.started', team: null, payload: { compression: 1 } },
    });
  }
  const config: ServerConfig = { ...DEFAULTS, port: 0, pollMs: 50, ...options.config };
  let notify = () => {};
  const driver = options.runner ? new SandboxHostDriver(join(dir, 'sandbox')) : undefined;
  const runner = driver
    ? new SessionRunner({ store, session: SESSION, driver, maxSleepMs: 20, onEvent: () => notify() })
    : undefined;
  const server = await createServer({
    store,
    session: SESSION,
    plan,
    config,
    ...(runner ? { write: () => (events: EngineEvent[]) => runner.record(events), control: runner } : {}),
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.terminals ? { terminals: options.terminals } : {}),
    log: (m) => {
      if (process.env.CYRANGE_TEST_LOG) process.stderr.write(`${m}\n`);
    },
  }).listen();
  notify = () => server.notify();
  const abort = new AbortController();
  const loop = runner?.run({ maxWallMs: options.runnerWallMs ?? 120_000, signal: abort.signal });
  const clients: Client[] = [];
  return {
    server,
    store,
    dbPath,
    plan,
    url: server.url,
    append(events, scenarioTime = 0) {
      const written = store.transaction(() =>
        events.map(
          (event) => store.append({ session: SESSION, event, scenarioTime, wallTime: Date.now() }).event,
        ),
      );
      server.notify();
      return written;
    },
    async login(role, team) {
      const link = server.createJoinLink({ role, ...(team ? { team } : {}) });
      const c = await Client.join(server.url, link.token);
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.disconnect();
      await server.stop();
      abort.abort();
      await loop;
      await runner?.close();
      await driver?.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: test answers are arbitrary JSON, asserted field by field
export type Json = any;

export interface Answer<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A logged-in browser, reduced to its cookies and CSRF token. */
export class Client {
  private sockets: ClientSocket[] = [];

  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
    readonly role: Role,
    readonly team?: string,
  ) {}

  static async join(url: string, token: string, name?: string): Promise<Client> {
    const r = await fetch(`${url}/api/auth/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, ...(name ? { name } : {}) }),
    });
    if (r.status !== 200) throw new Error(`join failed: ${r.status} ${await r.text()}`);
    const me = (await r.json()) as { role: Role; team?: string; csrfToken: string };
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return new Client(url, cookie, me.csrfToken, me.role, me.team);
  }

  async req<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    options: { headers?: Record<string, string>; raw?: string; csrf?: boolean } = {},
  ): Promise<Answer<T>> {
    return request<T>(this.url, method, path, body, {
      ...options,
      headers: {
        cookie: this.cookie,
        ...(options.csrf === false ? {} : { 'x-csrf-token': this.csrf }),
        ...options.headers,
      },
    });
  }

  socket(): Promise<ClientSocket> {
    const s = connect(this.url, this.cookie);
    this.sockets.push(s);
    return new Promise((resolve, reject) => {
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  }

  disconnect(): void {
    for (const s of this.sockets) s.disconnect();
  }
}

export function connect(url: string, cookie?: string, headers: Record<string, string> = {}): ClientSocket {
  return ioClient(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(cookie ? { cookie } : {}), ...headers },
  });
}

/** Plain HTTP without a login. */
export async function request<T = Json>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  options: { headers?: Record<string, string>; raw?: string } = {},
): Promise<Answer<T>> {
  const hasBody = body !== undefined || options.raw !== undefined;
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    ...(hasBody ? { body: options.raw ?? JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: r.status, body: parsed as T, headers: r.headers };
}

/** Waits for the first `event` on `socket` that satisfies `ok`, or fails after `ms`. */
export function nextEvent<T>(
  socket: ClientSocket,
  event: string,
  ok: (v: T) => boolean = () => true,
  ms = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const s = socket as unknown as {
      on(e: string, l: (v: T) => void): void;
      off(e: string, l: (v: T) => void): void;
    };
    const timer = setTimeout(() => {
      s.off(event, listener);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const listener = (v: T) => {
      if (!ok(v)) return;
      clearTimeout(timer);
      s.off(event, listener);
      resolve(v);
    };
    s.on(event, listener);
  });
}

/** A valid structured report naming the quickstart's infected PC and C2 domain. */
export function goodReport(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'incident',
    to: 'management',
    title: 'Implant on pc-victim beaconing to C2',
    hosts: ['pc-victim'],
    indicators: ['update-check[.]example'],
    techniques: ['T1071.001'],
    timeline: [{ at: '10:03', text: 'beacon seen in proxy log' }],
    narrative: 'The PC pc-victim beacons every 30 s; we isolated it.',
    ...extra,
  };
}

/** The attack step that starts the quickstart's detect-c2 clock for `team`. */
export function beaconStep(team: string): EngineEvent {
  return {
    type: 'attack.step',
    team,
    payload: {
      trackable: `trk-${team}-beacon`,
      inject: 'beacon',
      occurrence: 'o1',
      tactic: 'command-and-control',
      technique: 'T1071.001',
      artifacts: {
        hosts: ['pc-victim'],
        accounts: [],
        ips: [],
        domains: ['update-check.example'],
        hashes: [],
      },
    },
  };
}
