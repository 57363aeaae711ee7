import type Docker from 'dockerode';
import { traced } from './traced';

/** How a watch of a container's output ended. */
export type WatchEnd = 'matched' | 'ended' | 'timeout';

export interface WatchOptions {
  /**
   * Only output written at or after this engine time (`seconds.nanoseconds`, the engine's own clock):
   * a restarted container's log still holds what its previous run said.
   */
  since?: string;
  deadlineMs: number;
  /** Called for every complete line; returning true ends the watch with `matched`. */
  onLine: (line: string) => boolean;
}

/**
 * Follows containers' output (stdout and stderr of a non-TTY container) line by line. Reading a log
 * costs the engine a file read; an exec costs it a runc process and tens of milliseconds of CPU,
 * so waiting on what a container says scales to hundreds of hosts where polling with execs did not.
 * Uses the timeout-free stream client: a host may be quiet for longer than the API client's idle timeout.
 */
export class OutputClient {
  constructor(private readonly docker: Docker) {}

  watch(id: string, options: WatchOptions): Promise<WatchEnd> {
    return traced(`watch output of ${id}`, async () => {
      const stream = (await this.docker.getContainer(id).logs({
        follow: true,
        stdout: true,
        stderr: true,
        // The engine parses `since` as seconds with an optional fraction; the typings say number.
        ...(options.since ? { since: options.since as unknown as number } : {}),
      })) as unknown as NodeJS.ReadableStream & { destroy(): void };
      return new Promise<WatchEnd>((resolve) => {
        const lines = new FrameLines();
        let settled = false;
        const finish = (end: WatchEnd): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          stream.destroy();
          resolve(end);
        };
        const timer = setTimeout(() => finish('timeout'), options.deadlineMs);
        stream.on('data', (chunk: Buffer) => {
          for (const line of lines.push(chunk)) if (options.onLine(line)) return finish('matched');
        });
        // The engine ends a followed log when the container stops; a restarted engine resets it.
        stream.on('end', () => finish('ended'));
        stream.on('close', () => finish('ended'));
        stream.on('error', () => finish('ended'));
      });
    });
  }
}

/**
 * Turns the engine's multiplexed frames (1 byte stream, 3 padding, 4 bytes big-endian length, then
 * payload) into complete lines, keeping partial frames and partial lines for the next chunk.
 */
export class FrameLines {
  private pending: Buffer = Buffer.alloc(0);
  /** Payload bytes after the last newline: a line (or a character) may continue in the next frame. */
  private partial: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const payloads: Buffer[] = [this.partial];
    let offset = 0;
    while (offset + 8 <= this.pending.length) {
      const length = this.pending.readUInt32BE(offset + 4);
      if (offset + 8 + length > this.pending.length) break;
      payloads.push(this.pending.subarray(offset + 8, offset + 8 + length));
      offset += 8 + length;
    }
    this.pending = this.pending.subarray(offset);
    const text = Buffer.concat(payloads);
    const end = text.lastIndexOf(0x0a);
    this.partial = text.subarray(end + 1);
    return end < 0 ? [] : text.subarray(0, end).toString('utf8').split('\n');
  }
}

/**
 * An engine timestamp (RFC 3339 with nanoseconds, as in `State.FinishedAt`) as the `seconds.nanos`
 * the log API takes for `since`; undefined for the zero time the engine reports for "never".
 */
export function engineSince(rfc3339: string | undefined): string | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339 ?? '');
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return `${seconds}.${(match[2] ?? '').padEnd(9, '0')}`;
}
