/**
 * A real `cyrange serve` process for the load day: spawned from the build (`dist/`, as
 * `npm run bench:load` runs it) or from the TypeScript sources (the jest test, through the
 * transpile-only loader), with the probe preloaded. It prints its URL and join links; the driver
 * stops it with SIGINT, as an operator's Ctrl-C would, and waits for a bounded time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const FROM_SOURCES = __filename.endsWith('.ts');
const ROOT = join(__dirname, FROM_SOURCES ? '../..' : '../../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Which code the server runs. Production runs the build, where telemetry searches and alert
 * evaluation go to worker threads; from the sources both run on the event loop. So the jest test
 * serves from the build whenever the build is current (CI builds on install), and from the
 * sources otherwise — the result says which.
 */
export function serverCode(): 'build' | 'sources' {
  if (!FROM_SOURCES) return 'build';
  try {
    const built = Math.min(
      statSync(join(ROOT, 'dist/src/cli/run.js')).mtimeMs,
      statSync(join(ROOT, 'dist/bench/load/probe.js')).mtimeMs,
    );
    const sources = Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'bench/load')));
    return built >= sources ? 'build' : 'sources';
  } catch {
    return 'sources';
  }
}

/** `node` arguments that run the CLI (and preload the probe) from the build or the sources. */
function cliArgs(code: 'build' | 'sources'): string[] {
  if (code === 'sources') {
    const register = join(ROOT, 'test/support/register-ts.js');
    return ['-r', register, '-r', join(ROOT, 'bench/load/probe.ts'), join(ROOT, 'src/cli/run.ts')];
  }
  return ['-r', join(ROOT, 'dist/bench/load/probe.js'), join(ROOT, 'dist/src/cli/run.js')];
}

export interface ServeOptions {
  scenario: string;
  db: string;
  session: string;
  teams: number;
  probeFile: string;
  probeEveryMs: number;
  code: 'build' | 'sources';
}

export interface ServeProcess {
  pid: number;
  url: string;
  /** Join tokens printed at start, by label (`controller`, `evaluator`, `t01`…, `spectator`). */
  tokens: Map<string, string>;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code once it exits. */
  exited: Promise<number | null>;
  /** SIGINT, then SIGKILL after `graceMs`; the exit code (null when killed). */
  stop(graceMs: number): Promise<number | null>;
}

export async function startServe(o: ServeOptions, readyMs = 60_000): Promise<ServeProcess> {
  const args = [
    ...cliArgs(o.code),
    'serve',
    o.scenario,
    '--db',
    o.db,
    '--session',
    o.session,
    '--teams',
    String(o.teams),
    '--port',
    '0',
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CYRANGE_LOAD_PROBE: o.probeFile, CYRANGE_LOAD_PROBE_MS: String(o.probeEveryMs) },
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + readyMs;
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  while (!/^console\s/m.test(out)) {
    if (exitedEarly) throw new Error(`cyrange serve exited before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`cyrange serve was not ready within ${readyMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = out.match(/serving session \S+ at (http:\/\/[\d.]+:\d+)/)?.[1];
  if (!url) throw new Error(`no URL in the output of cyrange serve:\n${out}`);
  const tokens = new Map<string, string>();
  for (const m of out.matchAll(/^(\S+)\s+http:\/\/\S+\/join#([A-Za-z0-9_-]{43})$/gm))
    tokens.set(m[1]!, m[2]!);
  return {
    pid: child.pid!,
    url,
    tokens,
    output: () => out,
    exited,
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc; undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process from /proc (bytes), or undefined once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
