import type { Clients } from '../docker/clients';
import { LABEL } from '../labels';
import { containerName, observe } from '../reconcile/observed-state';

export interface HostStatus {
  exercise: string;
  team: string;
  host: string;
  role: string;
  name: string;
  /** The engine's state: running, exited, created, restarting, dead… */
  state: string;
  /** The engine's human status, e.g. `Up 3 minutes` or `Exited (137) 5 seconds ago`. */
  status: string;
  ips: string[];
}

/** Every live host of an exercise (or of all), as the engine sees it now; sorted by exercise, team, host. */
export async function rangeStatus(clients: Clients, exercise: string | 'all'): Promise<HostStatus[]> {
  const { containers } = await observe(clients, exercise);
  return containers
    .map((c) => ({
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
    }))
    .sort((a, b) => (a.exercise + a.team + a.host < b.exercise + b.team + b.host ? -1 : 1));
}
