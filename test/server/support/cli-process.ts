/** The `cyrange` CLI as a real child process (TypeScript sources through the test register). */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const REGISTER = join(__dirname, '..', '..', 'support', 'register-ts.js');
const CLI = join(__dirname, '..', '..', '..', 'src', 'cli', 'run.ts');

/** Runs `cyrange ARGS`; `output()` is stdout and stderr as they arrived, `exited` its exit code. */
export function runCli(args: string[]): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['-r', REGISTER, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}
