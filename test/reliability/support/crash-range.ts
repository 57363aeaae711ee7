/**
 * The live-range side of the crash suites: plans compiled from the suites' own scenario files, real
 * engine clients, and exercise ids unique per run (short enough for container names).
 */
import { formatDiagnostic } from '../../../src/common/diagnostic';
import { compile } from '../../../src/compiler/compile';
import type { Plan } from '../../../src/compiler/plan';
import { type Clients, clientsFor, connectEngine } from '../../../src/range/docker/clients';
import { loadScenarioFile } from '../../../src/scenario/load';

export function fixturePlanFile(file: string): Plan {
  const result = loadScenarioFile(file, {});
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return compile(result.scenario, { parameters: result.parameters });
}

export async function engineClients(): Promise<Clients> {
  return clientsFor(await connectEngine());
}

/** Unique per test run: `c1<pid><time>-<suffix>`. */
export function exerciseId(suffix: string): string {
  return `c1${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}-${suffix}`;
}
