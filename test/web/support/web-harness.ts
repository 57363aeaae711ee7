/**
 * A real exercise for browser tests: the quickstart scenario, a session in a real SQLite file, a
 * real SessionRunner (sandbox host driver) that the controller drives, the server on 127.0.0.1
 * port 0 serving a fresh build of the web console, and Debian's Chromium via playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import type { Plan } from '../../../src/compiler/plan';
import type { EngineEvent, StoredEvent } from '../../../src/engine/events/event-types';
import { SandboxHostDriver } from '../../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import { DEFAULTS } from '../../../src/server/config';
import { createServer, type StartedServer } from '../../../src/server/server';
import type { Role } from '../../../src/wire/roles';
import { quickstartPlan, SESSION } from '../../server/support/harness';

export const CHROMIUM = process.env.CYRANGE_CHROMIUM ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '../../..');

export interface WebExercise {
  url: string;
  server: StartedServer;
  store: EventStore;
  webRoot: string;
  /** Appends facts as the engine would, then lets the server read them. */
  append(events: EngineEvent[], scenarioTime?: number): StoredEvent[];
  link(role: Role, team?: string): string;
  close(): Promise<void>;
}

/** Builds the console into a temporary folder (what `npm run build` does into dist/web). */
export function buildWeb(out: string): void {
  execFileSync(process.execPath, [join(ROOT, 'web/build.mjs'), '--out', out], {
    stdio: 'pipe',
    timeout: 60_000,
  });
}

export interface WebExerciseOptions {
  plan?: Plan;
  /** Unix ms of scenario T+0 (default 2026-01-05 10:00 UTC). */
  epochMs?: number;
}

export async function startWebExercise(options: WebExerciseOptions = {}): Promise<WebExercise> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-web-'));
  const webRoot = join(dir, 'web');
  buildWeb(webRoot);
  const plan = options.plan ?? quickstartPlan();
  const store = new EventStore(join(dir, 'exercise.db'));
  SessionRunner.create(store, {
    id: SESSION,
    plan,
    scenarioEpochMs: options.epochMs ?? Date.UTC(2026, 0, 5, 10),
  });
  const driver = new SandboxHostDriver(join(dir, 'sandbox'));
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
    plan,
    config: { ...DEFAULTS, port: 0, pollMs: 50 },
    webRoot,
    write: () => (events: EngineEvent[]) => runner.record(events),
    control: runner,
    log: (m) => {
      if (process.env.CYRANGE_TEST_LOG) process.stderr.write(`${m}\n`);
    },
  }).listen();
  notify = () => server.notify();
  const abort = new AbortController();
  const loop = runner.run({ maxWallMs: 120_000, signal: abort.signal });
  return {
    url: server.url,
    server,
    store,
    webRoot,
    append(events, scenarioTime = 0) {
      const written = store.transaction(() =>
        events.map(
          (event) => store.append({ session: SESSION, event, scenarioTime, wallTime: Date.now() }).event,
        ),
      );
      server.notify();
      return written;
    },
    link(role, team) {
      return server.createJoinLink({ role, ...(team ? { team } : {}), label: team ?? role }).url;
    },
    async close() {
      await server.stop();
      abort.abort();
      await loop;
      await runner.close();
      await driver.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium as the brief sets it up: headless, no sandbox, nothing fetched from outside. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing — install Debian's chromium`);
  // playwright-core gives every launch a fresh temporary profile (user-data-dir) and removes it.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}
