import type { Clients } from '../docker/clients';
import { RangeFailure } from '../range-error';
import type { ReadinessCheck } from './readiness-checks';

/**
 * Polls a readiness check inside a container until it passes or the deadline expires. A container that
 * exits meanwhile fails at once, with its exit code and last log lines in the reason.
 */
export async function waitReady(
  clients: Clients,
  container: string,
  check: ReadinessCheck,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const interval = options.intervalMs ?? 250;
  let last = '';
  for (;;) {
    try {
      const result = await clients.exec.run(container, ['sh', '-c', check.command], { timeoutSec: 10 });
      if (result.exitCode === 0) return;
      last = `${result.stdout}${result.stderr}`.trim().slice(-200) || `check exited ${result.exitCode}`;
    } catch (error) {
      const info = await clients.containers.inspect(container).catch(() => undefined);
      if (info && !info.State.Running) {
        const logs = await clients.containers.logs(container, 5).catch(() => '');
        const tail = logs.trim().split('\n').slice(-3).join(' | ');
        throw new RangeFailure(
          `exited with code ${info.State.ExitCode} before it was ready${tail ? `: ${tail}` : ''}`,
        );
      }
      last = (error as Error).message;
    }
    if (Date.now() >= deadline)
      throw new RangeFailure(`not ready after ${Math.round((options.timeoutMs ?? 60_000) / 1000)}s: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
