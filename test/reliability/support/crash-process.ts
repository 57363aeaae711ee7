/**
 * What the crash suites share: a seeded random source whose seed is logged (so a failing run can be
 * replayed with CYRANGE_CRASH_SEED), the `cyrange` CLI spawned as a real process from the sources,
 * `kill -9` of it, and bounded polling. Every child is bounded in time: killed at its deadline.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
const REGISTER = join(ROOT, 'test', 'support', 'register-ts.js');
const CLI = join(ROOT, 'src', 'cli', 'run.ts');

/** A reproducible random source: the seed comes from CYRANGE_CRASH_SEED or the clock, and is printed. */
export function seededRandom(suite: string): {
  seed: number;
  next: () => number;
  int: (lo: number, hi: number) => number;
} {
  const fromEnv = Number(process.env.CYRANGE_CRASH_SEED);
  const seed = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : (Date.now() % 2_147_483_647) + 1;
  process.stdout.write(`${suite}: seed ${seed} (replay with CYRANGE_CRASH_SEED=${seed})\n`);
  let s = seed;
  const next = (): number => {
    // Park–Miller minimal standard generator: small, deterministic, good enough for kill moments.
    s = (s * 48_271) % 2_147_483_647;
    return (s - 1) / 2_147_483_646;
  };
  return { seed, next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)) };
}

export interface CliChild {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** `kill -9`, then waits for the exit. */
  kill9(): Promise<void>;
}

/** Spawns `cyrange ARGS` from the TypeScript sources; SIGKILLed after `boundMs` whatever happens. */
export function spawnCli(args: string[], boundMs: number, env: NodeJS.ProcessEnv = {}): CliChild {
  const child = spawn(process.execPath, ['-r', REGISTER, CLI, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const bound = setTimeout(() => child.kill('SIGKILL'), boundMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(bound);
      resolve({ code, signal });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Polls `check` every `everyMs` until it is true; throws naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 1_000_000; i++) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
