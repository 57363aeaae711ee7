/**
 * Helpers for the live range tests: fixture plans, engine clients, unique exercise ids and probes run
 * from inside range containers. Everything runs against the real engine.
 */
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/common/diagnostic';
import { compile } from '../../../src/compiler/compile';
import type { Plan } from '../../../src/compiler/plan';
import { type Clients, clientsFor, connectEngine } from '../../../src/range/docker/clients';
import { loadScenarioFile } from '../../../src/scenario/load';

export function fixturePlan(name: string, options: { teams?: number } = {}): Plan {
  const file = join(__dirname, '..', 'fixtures', name);
  const result = loadScenarioFile(file, options.teams !== undefined ? { teams: options.teams } : {});
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return compile(result.scenario, { parameters: result.parameters });
}

export async function engineClients(): Promise<Clients> {
  return clientsFor(await connectEngine());
}

/** Unique per test run, short enough for container names. */
export function exerciseId(suffix: string): string {
  return `rt${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}-${suffix}`;
}

/** True when a TCP connection from `container` to ip:port opens within 2 s. */
export async function canConnect(
  clients: Clients,
  container: string,
  ip: string,
  port: number,
): Promise<boolean> {
  const result = await clients.exec.run(container, ['nc', '-z', '-w', '2', ip, String(port)], {
    timeoutSec: 8,
  });
  return result.exitCode === 0;
}

/** HTTP status of a GET from inside `container` ("000" when nothing answered). */
export async function httpStatus(
  clients: Clients,
  container: string,
  url: string,
  proxy?: string,
): Promise<string> {
  const args = [
    'curl',
    '-s',
    '-m',
    '3',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    ...(proxy ? ['-x', proxy] : []),
    url,
  ];
  return (await clients.exec.run(container, args, { timeoutSec: 8 })).stdout.trim();
}
