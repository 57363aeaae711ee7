import type Docker from 'dockerode';
import { logger } from '../../common/logger';

const log = logger('events');

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano?: number;
}

/**
 * Follows the engine's event stream for our labels. The stream is newline-delimited JSON that may split
 * or batch events, and it ends when the daemon restarts: we reconnect with `since` so nothing is lost,
 * and call `onReconnect` so the caller can reconcile by listing. Uses the timeout-free stream client.
 */
export function followEvents(
  docker: Docker,
  filters: Record<string, string[]>,
  onEvent: (event: EngineEvent) => void,
  options: { onReconnect?: () => void; retryMs?: number } = {},
): { stop(): void } {
  let stopped = false;
  let since = Math.floor(Date.now() / 1000);
  let current: NodeJS.ReadableStream | undefined;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      const stream = (await docker.getEvents({ since, filters })) as NodeJS.ReadableStream;
      current = stream;
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          if (!line) continue;
          try {
            const event = JSON.parse(line) as EngineEvent;
            since = Math.max(since, event.time);
            onEvent(event);
          } catch {
            log.warn(`unparseable event line: ${line.slice(0, 120)}`);
          }
        }
      });
      stream.on('end', () => reconnect());
      stream.on('error', () => reconnect());
    } catch (error) {
      log.debug(`event stream unavailable: ${(error as Error).message}`);
      reconnect();
    }
  };

  const reconnect = (): void => {
    if (stopped) return;
    current = undefined;
    setTimeout(() => {
      options.onReconnect?.();
      void connect();
    }, options.retryMs ?? 1000).unref();
  };

  void connect();
  return {
    stop() {
      stopped = true;
      (current as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    },
  };
}
