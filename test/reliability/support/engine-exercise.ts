/**
 * A live exercise for the range-health tests, wired the way `serve --live` wires it
 * (src/cli/serve-exercise.ts): a real session in SQLite, a session runner on the live driver, the
 * exercise server on 127.0.0.1:0 with the range health monitor and the lifecycle's restorer, and
 * a controller logged in over real HTTP and socket.io. Only the engine differs per test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/compiler/plan';
import type { StoredEvent } from '../../../src/engine/events/event-types';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import type { Clients } from '../../../src/range/docker/clients';
import { DockerHostDriver } from '../../../src/range/driver/docker-host-driver';
import { LiveLogCollector } from '../../../src/range/driver/live-log-collector';
import { type RangeHealthDeps, RangeHealthMonitor } from '../../../src/range/health/range-health-monitor';
import { rangeRestorer } from '../../../src/response/live-restore';
import { DEFAULTS } from '../../../src/server/config';
import { createServer, type StartedServer } from '../../../src/server/server';
import type { RangeHealthView } from '../../../src/wire/range-health';
import { Client, type ClientSocket } from '../../server/support/harness';

export interface EngineExercise {
  url: string;
  server: StartedServer;
  monitor: RangeHealthMonitor;
  controller: Client;
  socket: ClientSocket;
  /** Every `range:health` push the controller's socket received, in order. */
  pushes: RangeHealthView[];
  /** Lines the monitor said on the console. */
  console: string[];
  events(type?: string): StoredEvent[];
  health(): Promise<RangeHealthView>;
  close(): Promise<void>;
}

export async function startEngineExercise(
  clients: Clients,
  plan: Plan,
  exercise: string,
  options: Partial<RangeHealthDeps> = {},
  extra: { collectLogs?: boolean; webRoot?: string } = {},
): Promise<EngineExercise> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-engine-'));
  const store = new EventStore(join(dir, 'exercise.db'));
  const session = `${exercise}-s`;
  SessionRunner.create(store, { id: session, plan, scenarioEpochMs: Date.now() });
  const driver = await DockerHostDriver.connect(clients, exercise, plan);
  let notify = () => {};
  const runner = new SessionRunner({ store, session, driver, maxSleepMs: 50, onEvent: () => notify() });
  const lines: string[] = [];
  const monitor = new RangeHealthMonitor({
    clients,
    plan,
    exercise,
    record: (events) => runner.record(events),
    restoreHost: rangeRestorer(clients, plan, exercise),
    afterChange: () => driver.hosts.refresh(),
    say: (m) => lines.push(`${new Date().toISOString()} ${m}`),
    intervalMs: 500,
    checkEveryMs: 1000,
    watch: { pingEveryMs: 500, backoffBaseMs: 250, backoffMaxMs: 2000, maxAttempts: 200 },
    ...options,
  });
  const server = await createServer({
    store,
    session,
    plan,
    config: { ...DEFAULTS, port: 0, pollMs: 50 },
    write: () => (events) => runner.record(events),
    control: runner,
    liveRange: { driver, restore: (team, host) => monitor.restore(team, host) },
    rangeHealth: monitor,
    ...(extra.webRoot ? { webRoot: extra.webRoot } : {}),
    log: (m) => {
      if (process.env.CYRANGE_TEST_LOG) process.stderr.write(`${m}\n`);
    },
  }).listen();
  notify = () => server.notify();
  monitor.start();
  // The live hosts' real logs, as `serve --live` collects them (polled every 500 ms here).
  const collector = extra.collectLogs
    ? new LiveLogCollector(clients, driver.hosts, runner, { intervalMs: 500 })
    : undefined;
  collector?.start();
  const controller = await Client.join(server.url, server.createJoinLink({ role: 'controller' }).token);
  const socket = await controller.socket();
  const pushes: RangeHealthView[] = [];
  socket.on('range:health', (v) => pushes.push(v));
  return {
    url: server.url,
    server,
    monitor,
    controller,
    socket,
    pushes,
    console: lines,
    events: (type) => store.read(session).filter((e) => type === undefined || e.type === type),
    async health() {
      const r = await controller.req<RangeHealthView>('GET', '/api/range/health');
      if (r.status !== 200) throw new Error(`GET /api/range/health: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async close() {
      controller.disconnect();
      await collector?.stop();
      await monitor.stop();
      await server.stop();
      await runner.close();
      await driver.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 200 ms until it returns a value, or fails after `ms` naming `what`. */
export async function eventually<T>(
  what: string,
  ms: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (let i = 0; i < 10_000 && Date.now() <= deadline; i++) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
}
