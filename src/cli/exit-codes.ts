/** Exit codes of every `cyrange` verb: scripts and CI rely on them. */
export const EXIT = {
  ok: 0,
  /** The input (a scenario file, a plan, a session) is invalid; the message names the place and the fix. */
  invalid: 1,
  /** The command line itself is wrong (unknown verb or flag, bad flag value). */
  usage: 2,
  /** The environment failed us (no container engine, disk full); the message says how to fix it. */
  environment: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Thrown by a verb to stop with a chosen exit code and a message for the terminal, never a stack trace. */
export class CliExit extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
