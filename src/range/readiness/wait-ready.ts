import type { Clients } from '../docker/clients';
import { RangeFailure } from '../range-error';
import { FAILING_PREFIX, READY_LINE } from './readiness-checks';

/** Times the engine may close a running container's output before we give up on it. */
const MAX_WATCHES = 3;

/**
 * Waits until a container says it is ready (READY_LINE, printed by the image's `cyrange-ready` once the
 * role's check passes) by following its output: no exec, so waiting costs the engine next to nothing.
 * `since` (engine time) skips what an earlier run of a restarted container said. A container that stops
 * meanwhile fails at once, with its exit code and last log lines; past the deadline the reason is the
 * check's last complaint.
 */
export async function waitReady(
  clients: Clients,
  container: string,
  options: { timeoutMs?: number; since?: string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  const onLine = (line: string): boolean => {
    if (line.startsWith(FAILING_PREFIX)) last = line.slice(FAILING_PREFIX.length);
    return line.trimEnd() === READY_LINE;
  };
  for (let watch = 0; watch < MAX_WATCHES && Date.now() < deadline; watch++) {
    const end = await clients.output.watch(container, {
      deadlineMs: deadline - Date.now(),
      ...(options.since ? { since: options.since } : {}),
      onLine,
    });
    if (end === 'matched') return;
    if (end === 'timeout') break;
    const info = await clients.containers.inspect(container).catch(() => undefined);
    if (!info?.State.Running) {
      const logs = await clients.containers.logs(container, 5).catch(() => '');
      const tail = logs.trim().split('\n').slice(-3).join(' | ');
      const code = info ? `exited with code ${info.State.ExitCode}` : 'disappeared';
      throw new RangeFailure(`${code} before it was ready${tail ? `: ${tail}` : ''}`);
    }
    // The engine closed the output of a running container (it restarted): follow again from `since`.
  }
  throw new RangeFailure(
    `not ready after ${Math.round(timeoutMs / 1000)}s: ${last || 'its check never passed'}`,
  );
}
