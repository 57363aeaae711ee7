import type { Clients } from '../docker/clients';
import { exerciseFilter } from '../labels';
import { ignoreProgress, type RangeListener } from '../progress';
import { observe } from '../reconcile/observed-state';
import { removeContainers, removeNetworks } from './remove-resources';

export interface DownResult {
  containers: number;
  networks: number;
  volumes: number;
  ms: number;
}

/**
 * Removes every container, network and volume labelled with the exercise (or with any exercise). Works
 * from labels alone, so it cleans up after a killed orchestrator or a failed `up`; safe to run twice.
 */
export async function rangeDown(
  clients: Clients,
  exercise: string | 'all',
  options: { concurrency?: number; onProgress?: RangeListener } = {},
): Promise<DownResult> {
  const started = Date.now();
  const emit = options.onProgress ?? ignoreProgress;
  const limit = options.concurrency ?? 12;
  const observed = await observe(clients, exercise);
  await removeContainers(clients, observed.containers, limit, emit);
  // Containers created by a concurrent or interrupted `up` after the listing: one more pass.
  const late = (await observe(clients, exercise)).containers;
  await removeContainers(clients, late, limit, emit);
  const networks = (await observe(clients, exercise)).networks;
  await removeNetworks(clients, networks, limit, emit);
  const volumes = await clients.volumes.list(exerciseFilter(exercise));
  for (const volume of volumes) await clients.volumes.remove(volume.Name);
  return {
    containers: observed.containers.length + late.length,
    networks: networks.length,
    volumes: volumes.length,
    ms: Date.now() - started,
  };
}
