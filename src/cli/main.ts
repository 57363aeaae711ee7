/**
 * The `cyrange` command line: one program, one verb per file under `commands/`. Bad input ends with
 * exit 1 and `file:line:col: message — hint` lines; usage errors with exit 2; never a stack trace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { CliExit, EXIT } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command('cyrange')
    .description('Orchestrator for CYDER-style cyber-defense exercises')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const make of COMMANDS) program.addCommand(make().exitOverride());
  return program;
}

/** Runs the CLI and resolves to the process exit code (the bin script sets it). */
export async function main(argv: string[]): Promise<number> {
  ignoreClosedStdout();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    return exitCodeOf(e);
  }
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CliExit) {
    if (e.message) process.stderr.write(`${e.message}\n`);
    return e.code;
  }
  if (e instanceof CommanderError) {
    // --help and --version end through here with exit code 0.
    return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  process.stderr.write(`cyrange: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return 70;
}

/** `cyrange plan … | head` closes the pipe early: that is the reader's choice, not a crash. */
function ignoreClosedStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/** The package version, found by walking up from this file (it runs from `src/` and from `dist/src/`). */
function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}
