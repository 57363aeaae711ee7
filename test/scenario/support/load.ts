/** Loading scenarios in tests: from the fixtures, from the shipped files, or from text with a virtual file system. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compile } from '../../../src/compiler/compile';
import type { Plan } from '../../../src/compiler/plan';
import {
  type LoadOptions,
  type LoadResult,
  loadScenarioFile,
  loadScenarioText,
} from '../../../src/scenario/load';
import type { Scenario } from '../../../src/scenario/schema';

export const ROOT = resolve(__dirname, '../../..');
export const FIXTURES = join(ROOT, 'test/scenario/fixtures');
export const SCENARIOS = join(ROOT, 'scenarios');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Loads text as if it were `main.yaml`, with other files served from `files` (paths relative to /virtual). */
export function loadText(
  text: string,
  files: Record<string, string> = {},
  options: LoadOptions = {},
): LoadResult {
  const read = (path: string) => {
    const rel = path.replace(/^\/virtual\//, '');
    if (!(rel in files))
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return files[rel]!;
  };
  return loadScenarioText('/virtual/main.yaml', text, { ...options, read });
}

/** Loads a file that must be valid; fails the test with every diagnostic when it is not. */
export function loadValid(
  path: string,
  options: LoadOptions = {},
): { scenario: Scenario; result: LoadResult } {
  const result = loadScenarioFile(path, options);
  if (!result.scenario) {
    throw new Error(
      `${path} should be valid:\n${result.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n')}`,
    );
  }
  return { scenario: result.scenario, result };
}

export function planOf(path: string, options: LoadOptions = {}): Plan {
  const { scenario, result } = loadValid(path, options);
  return compile(scenario, { parameters: result.parameters });
}
