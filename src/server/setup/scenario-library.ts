/**
 * The scenarios the setup page offers: the `*.yaml` files of the package's `scenarios/` folder.
 * Text the controller pastes is loaded as if it were a file of that folder, so its `include:`
 * and attachment `file:` paths resolve as they do for the shipped scenarios — and reads are
 * confined to that folder, so the setup page cannot be used to read other files of the server.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ShippedScenario } from '../../wire/setup';

/** `<package root>/scenarios`, found by walking up to `package.json`. */
export function defaultScenarioDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'scenarios');
    dir = dirname(dir);
  }
  return resolve('scenarios');
}

/** A shipped name or `pasted`: lowercase letters, digits and dashes. */
export const SOURCE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_LISTED = 200;

export class ScenarioLibrary {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  list(): ShippedScenario[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((f) => f.endsWith('.yaml'));
    } catch {
      return [];
    }
    return names
      .map((f) => f.slice(0, -'.yaml'.length))
      .filter((n) => SOURCE_NAME.test(n))
      .sort()
      .slice(0, MAX_LISTED)
      .map((name) => {
        const text = this.text(name) ?? '';
        return { name, title: titleOf(text) ?? name, bytes: Buffer.byteLength(text) };
      });
  }

  /** The text of a shipped scenario, or undefined when there is none of that name. */
  text(name: string): string | undefined {
    if (!SOURCE_NAME.test(name)) return undefined;
    const file = join(this.dir, `${name}.yaml`);
    try {
      return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  /** The path the loader gives text of `source` (its diagnostics and relative paths start there). */
  pathOf(source: string): string {
    return join(this.dir, `${source}.yaml`);
  }

  /** Reads a file the scenario names; only inside the scenarios folder. */
  read = (path: string): string => {
    const real = realpathSync(path);
    const rel = relative(realpathSync(this.dir), real);
    if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') {
      throw new Error(`outside the scenarios folder (${this.dir})`);
    }
    return readFileSync(real, 'utf8');
  };

  /** A path as the page shows it: relative to the scenarios folder. */
  display(path: string): string {
    const rel = relative(this.dir, path);
    return rel.startsWith('..') ? path : rel;
  }
}

/** `metadata.title` read from the text without parsing it (the list must not fail on a bad file). */
function titleOf(text: string): string | undefined {
  const m = /^ {2}title:\s*(.+)$/m.exec(text);
  return m?.[1]?.trim().replace(/^["']|["']$/g, '');
}
