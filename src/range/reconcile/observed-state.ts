import type { Clients, ContainerSummary, NetworkSummary } from '../docker/clients';
import { exerciseFilter } from '../labels';

/** What the engine holds for one exercise (or every exercise), found by label only. */
export interface ObservedState {
  containers: ContainerSummary[];
  networks: NetworkSummary[];
}

export async function observe(clients: Clients, exercise: string | 'all'): Promise<ObservedState> {
  const filters = exerciseFilter(exercise);
  const [containers, networks] = await Promise.all([
    clients.containers.list(filters),
    clients.networks.list(filters),
  ]);
  return { containers, networks };
}

/** A container's name without the engine's leading slash. */
export function containerName(container: ContainerSummary): string {
  return (container.Names?.[0] ?? container.Id).replace(/^\//, '');
}
