/**
 * What `cyrange serve scenarios/quickstart.yaml` runs, in-process: a real SQLite event store, a
 * real SessionRunner (sandbox driver: every host simulated), the server on 127.0.0.1 port 0
 * writing through the runner, and the response monitor judging containment — as serve.ts wires
 * them. Clients join with real join links over HTTP and socket.io.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/compiler/plan';
import type { StoredEvent } from '../../../src/engine/events/event-types';
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import type { Clients } from '../../../src/range/docker/clients';
import { openLiveRange } from '../../../src/range/driver/live-range';
import { rangeRestorer } from '../../../src/response/live-restore';
import { followLog } from '../../../src/response/log-follower';
import { ResponseMonitor } from '../../../src/response/response-monitor';
import { DEFAULTS } from '../../../src/server/config';
import { createServer, type StartedServer } from '../../../src/server/server';
import type { Role } from '../../../src/wire/roles';
import { Client } from '../../server/support/harness';

export const SESSION = 'blue-team';
export const EPOCH = Date.UTC(2026, 0, 5, 10);

export interface Exercise {
  runner: SessionRunner;
  server: StartedServer;
  store: EventStore;
  plan: Plan;
  login(role: Role, team?: string): Promise<Client>;
  events(): StoredEvent[];
  /** Resolves once scenario time reaches `seconds` (bounded by `maxWallMs`). */
  until(seconds: number, maxWallMs?: number): Promise<void>;
  /** Resolves once the runner's loop has ended (the scenario's duration reached). */
  finished(): Promise<void>;
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** With `live`, acts on the range `rangeUp` brought up under that exercise id, as `serve --live`. */
export async function startExercise(
  plan: Plan,
  live?: { exercise: string; clients: Clients },
): Promise<Exercise> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-response-'));
  const store = new EventStore(join(dir, 'exercise.db'));
  SessionRunner.create(store, { id: SESSION, plan, scenarioEpochMs: EPOCH });
  const range = live ? await openLiveRange(plan, live.exercise) : undefined;
  const driver = range?.driver ?? new SandboxHostDriver(join(dir, 'sandbox'));
  let notify = () => {};
  const runner = new SessionRunner({
    store,
    session: SESSION,
    driver,
    maxSleepMs: 20,
    onEvent: () => notify(),
  });
  const server = await createServer({
    store,
    session: SESSION,
    plan: runner.plan,
    config: { ...DEFAULTS, port: 0, pollMs: 50 },
    write: () => (events) => runner.record(events),
    control: runner,
    rescoreMs: 100,
    ...(range && live
      ? {
          liveRange: {
            driver: range.driver,
            restore: rangeRestorer(live.clients, runner.plan, live.exercise),
          },
        }
      : {}),
    log: (m) => {
      if (process.env.CYRANGE_TEST_LOG) process.stderr.write(`${m}\n`);
    },
  }).listen();
  notify = () => server.notify();
  const monitor = new ResponseMonitor({
    plan: runner.plan,
    session: SESSION,
    epochMs: runner.epochMs,
    events: followLog(store, SESSION),
    write: (events) => runner.record(events),
    scenarioNow: () => Math.max(0, runner.scenarioNow()),
    ...(range ? { driver: range.driver, beaconWindowMs: 5000 } : {}),
  });
  range?.collectInto(runner, [], { intervalMs: 1000 });
  monitor.start(100);
  const abort = new AbortController();
  const loop = runner.run({
    untilScenario: runner.plan.scenario.duration,
    maxWallMs: 120_000,
    signal: abort.signal,
  });
  const clients: Client[] = [];
  return {
    runner,
    server,
    store,
    plan: runner.plan,
    async login(role, team) {
      const link = server.createJoinLink({ role, ...(team ? { team } : {}) });
      const c = await Client.join(server.url, link.token);
      clients.push(c);
      return c;
    },
    events: () => store.read(SESSION),
    async until(seconds, maxWallMs = 60_000) {
      const deadline = Date.now() + maxWallMs;
      while (runner.scenarioNow() < seconds) {
        if (Date.now() > deadline)
          throw new Error(`scenario time ${runner.scenarioNow()} never reached ${seconds}`);
        await sleep(10);
      }
    },
    finished: () => loop.then(() => undefined),
    async close() {
      for (const c of clients) c.disconnect();
      await monitor.stop();
      await server.stop();
      abort.abort();
      await loop;
      await range?.stop();
      await runner.close();
      await driver.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
