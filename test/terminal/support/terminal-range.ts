/**
 * A tiny live range (firewall + one live PC of team t01) brought up with the range lifecycle, and
 * an exercise server whose plan has two teams, with the Docker terminal backend wired in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/common/diagnostic';
import { compile } from '../../../src/compiler/compile';
import type { Plan } from '../../../src/compiler/plan';
import { SessionRunner } from '../../../src/engine/session/session-runner';
import { EventStore } from '../../../src/engine/store/event-store';
import { type Clients, clientsFor, connectEngine } from '../../../src/range/docker/clients';
import { rangeDown } from '../../../src/range/lifecycle/range-down';
import { rangeUp } from '../../../src/range/lifecycle/range-up';
import { loadScenarioFile } from '../../../src/scenario/load';
import { DEFAULTS } from '../../../src/server/config';
import { createServer, type StartedServer } from '../../../src/server/server';
import { dockerTerminalBackend, type TerminalBackend } from '../../../src/server/terminal/terminal-backend';
import type { Role } from '../../../src/wire/roles';
import { requireImages } from '../../range-driver/support/driver-range';
import { Client, quickstartPlan } from '../../server/support/harness';

export const FIXTURE = join(__dirname, '..', 'fixtures', 'terminal-range.yaml');
export const SESSION = 'terminal-session';

export function terminalPlan(teams: number): Plan {
  const r = loadScenario(teams);
  return compile(r.scenario!, { parameters: r.parameters });
}

function loadScenario(teams: number) {
  const result = loadScenarioFile(FIXTURE, { teams });
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result;
}

export interface TerminalRange {
  exercise: string;
  clients: Clients;
  server: StartedServer;
  login(role: Role, team?: string): Promise<Client>;
  /** Tears everything down; safe when setup failed half-way. */
  close(): Promise<void>;
}

export async function startTerminalRange(options: { webRoot?: string } = {}): Promise<TerminalRange> {
  const exercise = `tm${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  const clients = clientsFor(await connectEngine());
  const rangePlan = terminalPlan(1);
  await requireImages(clients, rangePlan);
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-terminal-'));
  const store = new EventStore(join(dir, 'exercise.db'));
  let server: StartedServer | undefined;
  const logins: Client[] = [];
  const close = async () => {
    for (const c of logins) c.disconnect();
    await server?.stop();
    store.close();
    await rangeDown(clients, exercise);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const up = await rangeUp(clients, rangePlan, { exercise });
    if (up.failed.length) throw new Error(`range up failed: ${JSON.stringify(up.failed)}`);
    const plan = terminalPlan(2);
    SessionRunner.create(store, { id: SESSION, plan, scenarioEpochMs: Date.UTC(2026, 0, 5, 10) });
    server = await createServer({
      store,
      session: SESSION,
      plan,
      config: { ...DEFAULTS, port: 0, host: '127.0.0.1', pollMs: 50 },
      terminals: dockerTerminalBackend(clients, exercise, plan),
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      log: (m) => {
        if (process.env.CYRANGE_TEST_LOG) process.stderr.write(`${m}\n`);
      },
    }).listen();
  } catch (e) {
    await close();
    throw e;
  }
  const started = server;
  return {
    exercise,
    clients,
    server: started,
    async login(role, team) {
      const link = started.createJoinLink({ role, ...(team ? { team } : {}) });
      const c = await Client.join(started.url, link.token);
      logins.push(c);
      return c;
    },
    close,
  };
}

/** An exercise server (quickstart plan, two teams) with a scripted terminal backend: no engine. */
export async function startFakeTerminalServer(
  terminals: TerminalBackend,
  terminalGraceMs: number,
): Promise<{ login(role: Role, team?: string): Promise<Client>; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-terminal-fake-'));
  const store = new EventStore(join(dir, 'exercise.db'));
  const plan = quickstartPlan();
  SessionRunner.create(store, { id: SESSION, plan, scenarioEpochMs: Date.UTC(2026, 0, 5, 10) });
  const server = await createServer({
    store,
    session: SESSION,
    plan,
    config: { ...DEFAULTS, port: 0, host: '127.0.0.1', pollMs: 50 },
    terminals,
    terminalGraceMs,
    log: () => undefined,
  }).listen();
  const logins: Client[] = [];
  return {
    async login(role, team) {
      const link = server.createJoinLink({ role, ...(team ? { team } : {}) });
      const c = await Client.join(server.url, link.token);
      logins.push(c);
      return c;
    },
    async close() {
      for (const c of logins) c.disconnect();
      await server.stop();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
