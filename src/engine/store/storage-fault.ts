/**
 * A sick database as a value: SQLite's refusals (disk full, read-only, I/O error, cannot open)
 * classified once, here, into a fault that names the file, the cause and the fix. Writers throw it
 * instead of the raw driver error; the HTTP layer answers 503 with its message, the runner stops
 * firing until writes succeed again, and `run`/`serve` refuse to start on it (exit 3). A write that
 * failed with one of these committed nothing: SQLite rolled the transaction back.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';

export type StorageFaultKind = 'full' | 'read-only' | 'io' | 'cannot-open';

/** SQLite's primary result codes (extended ones, `SQLITE_IOERR_WRITE`…, start with these). */
const KINDS: [prefix: string, kind: StorageFaultKind][] = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_READONLY', 'read-only'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CANTOPEN', 'cannot-open'],
  ['SQLITE_PERM', 'read-only'],
];

export class StorageFault extends Error {
  constructor(
    readonly kind: StorageFaultKind,
    /** The SQLite code, e.g. `SQLITE_FULL` (`ENOSPC` for the free-space check at start). */
    readonly code: string,
    readonly path: string,
    detail?: string,
  ) {
    super(describe(kind, path, detail));
    this.name = 'StorageFault';
  }
}

function describe(kind: StorageFaultKind, path: string, detail: string | undefined): string {
  const more = detail ? ` (${detail})` : '';
  switch (kind) {
    case 'full':
      return `database disk full at ${path}${more} — free space on that disk (or move the database with --db), then retry`;
    case 'read-only':
      return `database read-only at ${path}${more} — remount the disk read-write or fix the file's permissions, then retry`;
    case 'io':
      return `database I/O error at ${path}${more} — check the disk (dmesg), free space and mount state, then retry`;
    case 'cannot-open':
      return `cannot open the database at ${path}${more} — check that the directory exists and is writable`;
  }
}

/** The fault `e` stands for, or undefined when it is not a storage refusal (a bug, bad input…). */
export function storageFaultOf(e: unknown, path: string): StorageFault | undefined {
  if (e instanceof StorageFault) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  // Only SQLite's own codes: an errno thrown by other code inside a transaction is not the database's.
  const hit = KINDS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
  return hit ? new StorageFault(hit[1], code, path) : undefined;
}

/** Runs `fn`, turning a storage refusal into a `StorageFault` for `path`; other errors pass through. */
export function guardStorage<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw storageFaultOf(e, path) ?? e;
  }
}

/** Below this much free space a fresh `run`/`serve` refuses to start: a session needs room to write. */
export const MIN_FREE_BYTES = 1024 * 1024;

/** Free bytes for an unprivileged writer on the disk holding `path`, or undefined when unknown. */
export function freeBytes(path: string): number | undefined {
  try {
    const s = statfsSync(dirname(path));
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** The runner's `onStorageFault` for a terminal: one line when writes stop, one when they resume. */
export function storageFaultReporter(
  verb: string,
  write: (line: string) => void = (line) => process.stderr.write(line),
): (fault: StorageFault | undefined) => void {
  return (fault) =>
    write(
      fault
        ? `${verb}: ERROR: ${fault.message} — no inject fires until the database takes writes again\n`
        : `${verb}: the database takes writes again; injects fire again (late ones with their lateness)\n`,
    );
}
