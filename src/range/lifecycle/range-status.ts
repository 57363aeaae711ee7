import type { Plan } from '../../compiler/plan';
import { resourceName } from '../desired-state';
import type { Clients } from '../docker/clients';
import { LABEL } from '../labels';
import { containerName, observe } from '../reconcile/observed-state';

export interface HostStatus {
  exercise: string;
  team: string;
  host: string;
  role: string;
  name: string;
  /** The engine's state: running, exited, created, restarting, dead…; `missing` when the plan has it but the engine does not. */
  state: string;
  /** The engine's human status, e.g. `Up 3 minutes` or `Exited (137) 5 seconds ago`. */
  status: string;
  ips: string[];
}

/**
 * Every live host of an exercise (or of all), as the engine sees it now; sorted by exercise, team, host.
 * Given the exercise's plan, live hosts the engine does not have are listed too, as `missing`.
 */
export async function rangeStatus(
  clients: Clients,
  exercise: string | 'all',
  plan?: Plan,
): Promise<HostStatus[]> {
  const { containers } = await observe(clients, exercise);
  const hosts: HostStatus[] = containers.map((c) => ({
    exercise: c.Labels?.[LABEL.exercise] ?? '',
    team: c.Labels?.[LABEL.team] ?? '',
    host: c.Labels?.[LABEL.host] ?? '',
    role: c.Labels?.[LABEL.role] ?? '',
    name: containerName(c),
    state: c.State,
    status: c.Status,
    ips: Object.values(c.NetworkSettings?.Networks ?? {})
      .map((n) => n.IPAddress)
      .filter(Boolean),
  }));
  if (plan && exercise !== 'all') hosts.push(...missingHosts(plan, exercise, hosts, 'not on the engine'));
  return sortHosts(hosts);
}

/** The plan's live hosts that `found` lacks, as `missing` with `status` saying what is absent. */
export function missingHosts(
  plan: Plan,
  exercise: string,
  found: HostStatus[],
  status: string,
): HostStatus[] {
  const present = new Set(found.map((h) => h.name));
  return plan.teams.flatMap((team) =>
    team.hosts
      .filter((h) => h.fidelity === 'live' && !present.has(resourceName(exercise, team.id, h.name)))
      .map((h) => ({
        exercise,
        team: team.id,
        host: h.name,
        role: h.role,
        name: resourceName(exercise, team.id, h.name),
        state: 'missing',
        status,
        ips: [],
      })),
  );
}

/** Status lines in a stable order: by exercise, team, then host. */
export function sortHosts(hosts: HostStatus[]): HostStatus[] {
  return hosts.sort((a, b) => (a.exercise + a.team + a.host < b.exercise + b.team + b.host ? -1 : 1));
}
