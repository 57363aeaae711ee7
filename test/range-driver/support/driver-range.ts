/**
 * Helpers for the Docker host driver tests: the fixture plan, engine clients, a unique exercise id,
 * a check that the images were built (the tests never build or pull), and bounded polling.
 */
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/common/diagnostic';
import { compile } from '../../../src/compiler/compile';
import type { Plan } from '../../../src/compiler/plan';
import { imagesFor } from '../../../src/range/desired-state';
import { type Clients, clientsFor, connectEngine } from '../../../src/range/docker/clients';
import { baseTag, roleTag } from '../../../src/range/images/image-builder';
import { loadScenarioFile } from '../../../src/scenario/load';

export const FIXTURE = join(__dirname, '..', 'fixtures', 'driver-range.yaml');

export function fixturePlan(): Plan {
  const result = loadScenarioFile(FIXTURE, {});
  if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return compile(result.scenario, { parameters: result.parameters });
}

export async function engineClients(): Promise<Clients> {
  return clientsFor(await connectEngine());
}

/** Unique per run and distinct from the range suites' `rt…` ids. */
export function exerciseId(suffix: string): string {
  return `rd${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}-${suffix}`;
}

/** Fails with the fix when an image the fixture needs was not built (the tests never build). */
export async function requireImages(clients: Clients, plan: Plan): Promise<void> {
  const fix = 'run `node bin/cyrange.js images build` first';
  const base = baseTag();
  if (!(await clients.images.exists(base))) throw new Error(`image ${base} is missing — ${fix}`);
  const baseId = await clients.images.id(base);
  const missing: string[] = [];
  for (const image of new Set([...imagesFor(plan), 'firewall' as const])) {
    const tag = roleTag(image, baseId);
    if (!(await clients.images.exists(tag))) missing.push(tag);
  }
  if (missing.length) throw new Error(`images missing: ${missing.join(', ')} — ${fix}`);
}

/** Polls `probe` every 200 ms until it returns a value, at most `ms`; returns undefined on timeout. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  ms = 10_000,
): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= end) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
