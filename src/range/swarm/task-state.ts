import type { Clients, TaskSummary } from '../docker/clients';
import { RangeFailure } from '../range-error';
import type { ReadinessCheck } from '../readiness/readiness-checks';

export interface RunningTask {
  containerId: string;
  /** Network name → the task's IPv4 address on it. */
  addresses: Map<string, string>;
}

const FAILED = new Set(['failed', 'rejected', 'shutdown', 'complete', 'orphaned', 'remove']);

/** The newest task of a service that is meant to run, or undefined. */
export async function currentTask(clients: Clients, service: string): Promise<TaskSummary | undefined> {
  const tasks = await clients.services.tasks({ service: [service], 'desired-state': ['running'] });
  return tasks.sort((a, b) => String(b.CreatedAt ?? '').localeCompare(String(a.CreatedAt ?? '')))[0];
}

export function taskAddresses(task: TaskSummary): Map<string, string> {
  const attachments = task.NetworksAttachments ?? [];
  const addresses = new Map<string, string>();
  for (const a of attachments) {
    const name = a.Network?.Spec?.Name;
    const ip = a.Addresses?.[0]?.split('/')[0];
    if (name && ip) addresses.set(name, ip);
  }
  return addresses;
}

/**
 * Readiness on Swarm: the service's task reaches `running`, then the role's check passes inside the
 * task's container (exec through this engine: the task must run on the node `cyrange` talks to; tasks
 * on other nodes count as ready once running). Bounded: 300 s for the task to run, then the readiness
 * deadline (60 s); a failed task fails at once.
 */
export async function waitTaskReady(
  clients: Clients,
  service: string,
  check: ReadinessCheck,
  options: { timeoutMs?: number; startTimeoutMs?: number; intervalMs?: number; localNode?: string } = {},
): Promise<RunningTask> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Until its task runs, a host waits on the swarm's scheduler and the node's agent, which start
  // hundreds of tasks slowly on a busy node: a longer deadline for that, then the readiness one.
  let deadline = Date.now() + (options.startTimeoutMs ?? 300_000);
  let runningSeen = false;
  const interval = options.intervalMs ?? 300;
  let last = 'no task yet';
  for (;;) {
    const task = await currentTask(clients, service);
    const state = task?.Status?.State ?? 'none';
    const containerId = task?.Status?.ContainerStatus?.ContainerID;
    if (task && FAILED.has(state))
      throw new RangeFailure(
        `task ${state} before it was ready: ${task.Status?.Err ?? task.Status?.Message ?? ''}`,
      );
    if (task && state === 'running' && containerId) {
      if (!runningSeen) deadline = Date.now() + timeoutMs;
      runningSeen = true;
      const remote = options.localNode !== undefined && task.NodeID !== options.localNode;
      if (remote) return { containerId, addresses: taskAddresses(task) };
      const result = await clients.exec
        .run(containerId, ['sh', '-c', check.command], { timeoutSec: 10 })
        .catch((error: unknown) => ({ exitCode: -1, stdout: '', stderr: (error as Error).message }));
      if (result.exitCode === 0) return { containerId, addresses: taskAddresses(task) };
      last = `${result.stdout}${result.stderr}`.trim().slice(-200) || `check exited ${result.exitCode}`;
    } else last = `task ${state}`;
    if (Date.now() >= deadline) {
      const what = runningSeen
        ? `not ready ${Math.round(timeoutMs / 1000)}s after its task started`
        : 'task not running by the start deadline (300 s)';
      throw new RangeFailure(`${what}: ${last}`);
    }
    // Task listings cost the manager more than an exec: poll them once a second.
    await new Promise((resolve) => setTimeout(resolve, runningSeen ? interval : 1000));
  }
}
