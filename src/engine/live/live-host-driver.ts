/**
 * The narrow interface through which the engine acts on live hosts. The engine never talks to a
 * container engine itself: the Docker-backed range (src/range) implements this, and tests use
 * `SandboxHostDriver`, which acts on a local directory per host.
 *
 * Every call carries an idempotency `key` (unique in the database). After a crash the engine may
 * call again with the same key for an action whose outcome it had not recorded yet; a driver
 * returns the remembered result instead of acting twice when it can (files, mail, background
 * processes are naturally idempotent; a command that was running when the process died may run
 * again — drivers document what they guarantee).
 */

export interface HostRef {
  team: string;
  host: string;
}

export interface ExecOptions {
  key: string;
  user: string;
  /** Wall milliseconds after which the command is killed. */
  timeoutMs: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface BackgroundSpec {
  key: string;
  kind: 'command' | 'beacon';
  /** `command`: argv of a long-running process. */
  argv?: string[];
  /** `beacon`: call `url` through the proxy every `intervalMs`. */
  url?: string;
  intervalMs?: number;
  user: string;
}

export interface MailDelivery {
  key: string;
  /** Recipient address; the mailbox it lands in. */
  to: string;
  /** The complete RFC 5322 message. */
  raw: string;
}

export interface LiveHostDriver {
  /** What implements it, for logs and `cyrange events` (e.g. `sandbox`, `docker`). */
  readonly kind: string;
  exec(target: HostRef, argv: string[], opts: ExecOptions): Promise<ExecResult>;
  putFile(target: HostRef, path: string, content: string, opts: { key: string; mode: string }): Promise<void>;
  /** Reads a file from the host (e.g. evidence the attacker collects). */
  fetchFile(target: HostRef, path: string, opts: { key: string }): Promise<{ bytes: number; sha256: string }>;
  /** Starts (or, with a key already running, keeps) a background process; returns its handle. */
  startBackground(target: HostRef, spec: BackgroundSpec): Promise<string>;
  /** Stops a background process started under `key`; stopping a stopped one is not an error. */
  stopBackground(target: HostRef, key: string): Promise<void>;
  deliverMail(team: string, mail: MailDelivery): Promise<void>;
  /** Releases what the driver holds in this process (timers, child processes); safe twice. */
  close(): Promise<void>;
}
