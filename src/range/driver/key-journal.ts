import { createHash } from 'node:crypto';
import type { Clients } from '../docker/clients';

/** Where a driver keeps its state inside each container (tmpfs-free `/run`, kept across restarts). */
export const DRIVER_DIR = '/run/cyrange';
export const KEYS_DIR = `${DRIVER_DIR}/keys`;

/** A key as a file name: 32 hex of its sha256 (keys contain slashes and can be long). */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/**
 * Remembers, inside the container a call acted on, that a key was done and what it returned
 * (`/run/cyrange/keys/<digest>.json`). A replayed call reads the marker and returns the first
 * result instead of acting twice. The marker is written after the action, so a crash between the
 * two lets the action run again (at-least-once); the marker lives as long as the container.
 */
export class KeyJournal {
  constructor(private readonly clients: Clients) {}

  async read<T>(container: string, key: string): Promise<T | undefined> {
    const file = markerPath(key);
    const r = await this.clients.exec.run(
      container,
      ['sh', '-c', 'mkdir -p "$1" && cat "$2" 2>/dev/null', 'journal', KEYS_DIR, file],
      { timeoutSec: 15 },
    );
    if (r.exitCode !== 0 || r.stdout === '') return undefined;
    try {
      return (JSON.parse(r.stdout) as { result: T }).result;
    } catch {
      return undefined; // a torn marker: act again
    }
  }

  /** Records `result` for `key`; `read` must have run first on this container (it makes the folder). */
  async write(container: string, key: string, result: unknown): Promise<void> {
    await this.clients.exec.putFile(container, markerPath(key), markerText(key, result), 0o600);
  }
}

/** Where the marker of `key` lives, for a command that writes it itself inside the container. */
export function markerPath(key: string): string {
  return `${KEYS_DIR}/${keyDigest(key)}.json`;
}

/** The marker's content, as `read` expects it. */
export function markerText(key: string, result: unknown): string {
  return JSON.stringify({ key, result });
}
