/**
 * What each live host of a plan looks like now, from one listing of the engine and the service
 * checks of this round. Pure: the probe does the I/O, this decides the words and colours.
 */
import type { Plan } from '../../compiler/plan';
import type { HostHealth } from '../../wire/range-health';
import { resourceName } from '../desired-state';
import type { SizedContainer as ContainerSummary } from '../docker/clients';
import { containerName } from '../reconcile/observed-state';

export interface CheckOutcome {
  ok: boolean;
  detail: string;
}

export interface HostFacts {
  containers: readonly ContainerSummary[];
  /** Service checks of this round by container name (running containers only). */
  checks: ReadonlyMap<string, CheckOutcome>;
  /** Writable-layer bytes above which a running host is unhealthy. */
  diskLimitBytes: number;
  /** Notes by container id that outlive the container's own status (e.g. "stopped by the disk guard"). */
  notes?: ReadonlyMap<string, string>;
}

export function mib(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** Every live host of the plan, team by team in plan order, each with its state and why. */
export function classifyHosts(plan: Plan, exercise: string, facts: HostFacts): HostHealth[] {
  const byName = new Map(facts.containers.map((c) => [containerName(c), c]));
  const out: HostHealth[] = [];
  for (const team of plan.teams) {
    for (const host of team.hosts) {
      if (host.fidelity !== 'live') continue;
      const container = resourceName(exercise, team.id, host.name);
      const base = { team: team.id, host: host.name, role: host.role, container };
      const c = byName.get(container);
      if (!c) {
        out.push({ ...base, state: 'missing', detail: 'not on the engine' });
        continue;
      }
      const disk = c.SizeRw;
      const withDisk = disk !== undefined ? { diskBytes: disk } : {};
      const note = facts.notes?.get(c.Id);
      out.push({ ...base, ...withDisk, ...stateOf(c, facts, note) });
    }
  }
  return out;
}

function stateOf(
  c: ContainerSummary,
  facts: HostFacts,
  note: string | undefined,
): Pick<HostHealth, 'state' | 'detail'> {
  const status = note ? `${note} (${c.Status})` : c.Status;
  if (c.State === 'restarting') return { state: 'restarting', detail: status };
  if (c.State !== 'running') return { state: 'stopped', detail: status };
  if (c.SizeRw !== undefined && c.SizeRw > facts.diskLimitBytes) {
    return {
      state: 'unhealthy',
      detail: `writable layer ${mib(c.SizeRw)} is over the ${mib(facts.diskLimitBytes)} limit`,
    };
  }
  const check = facts.checks.get(containerName(c));
  if (check && !check.ok) return { state: 'unhealthy', detail: `service check failed: ${check.detail}` };
  return { state: 'running', detail: status };
}
