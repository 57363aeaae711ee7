/**
 * `cyrange serve` as a real child process (the TypeScript sources through the test loader), with
 * everything it prints on stdout and stderr kept, its URL and the join links it prints at start.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REGISTER = join(__dirname, '..', '..', 'support', 'register-ts.js');
const CLI = join(__dirname, '..', '..', '..', 'src', 'cli', 'run.ts');
export const QUICKSTART = join(__dirname, '..', '..', '..', 'scenarios', 'quickstart.yaml');

export interface ServeProcess {
  /** Where it listens, as printed (`http://HOST:PORT`). */
  url: string;
  port: number;
  dbPath: string;
  /** Join links printed at start: label → token. */
  tokens: Map<string, string>;
  stdout(): string;
  stderr(): string;
  /** SIGINT, then SIGKILL after 10 s; resolves with the exit code. Safe twice. */
  stop(): Promise<number | null>;
  /** Stops it and removes its database folder. */
  close(): Promise<void>;
}

export async function startServe(
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-sec-serve-'));
  const dbPath = join(dir, 'exercise.db');
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', REGISTER, CLI, 'serve', QUICKSTART, '--db', dbPath, '--port', '0', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CYRANGE_TEST_LOG: '' } },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stopping: Promise<number | null> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    })();
    return stopping;
  };
  const close = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!/^spectator\s+\S+/m.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await close();
      throw new Error(`serve did not print its join links:\n${out}\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = out.match(/at (http:\/\/[^\s]+)/)?.[1];
  if (!url) {
    await close();
    throw new Error(`serve printed no URL:\n${out}`);
  }
  const tokens = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = line.match(/^(\S+)\s+http\S*\/join#([A-Za-z0-9_-]{43})$/);
    if (m) tokens.set(m[1]!, m[2]!);
  }
  return {
    url,
    port: Number(new URL(url).port),
    dbPath,
    tokens,
    stdout: () => out,
    stderr: () => err,
    stop,
    close,
  };
}
