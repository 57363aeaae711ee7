import type { Clients } from '../docker/clients';
import { exerciseFilter } from '../labels';
import { ignoreProgress, type RangeListener } from '../progress';
import { observe } from '../reconcile/observed-state';
import { removeResources } from './remove-resources';
import { passesUntilSettled } from './settled-passes';

export interface DownResult {
  containers: number;
  networks: number;
  volumes: number;
  ms: number;
}

/**
 * Removes every container, network and volume labelled with the exercise (or with any exercise). Works
 * from labels alone, so it cleans up after a killed orchestrator or a failed `up`; safe to run twice.
 * Each network goes as soon as its last container is gone (removeResources). It looks again until
 * nothing is left (see settled-passes.ts): a container or network that a late creation kept is
 * retried by the next pass; only a failure that outlives every pass is reported.
 */
export async function rangeDown(
  clients: Clients,
  exercise: string | 'all',
  options: { concurrency?: number; onProgress?: RangeListener } = {},
): Promise<DownResult> {
  const started = Date.now();
  const emit = options.onProgress ?? ignoreProgress;
  const limit = options.concurrency ?? 12;
  const removed = { containers: new Set<string>(), networks: new Set<string>() };
  let failure: unknown;
  await passesUntilSettled(async () => {
    const { containers, networks } = await observe(clients, exercise);
    for (const c of containers) removed.containers.add(c.Id);
    for (const n of networks) removed.networks.add(n.Id);
    failure = undefined;
    try {
      await removeResources(clients, containers, networks, limit, emit);
    } catch (e) {
      failure = e;
    }
    return containers.length + networks.length;
  });
  if (failure) throw failure;
  const volumes = await clients.volumes.list(exerciseFilter(exercise));
  for (const volume of volumes) await clients.volumes.remove(volume.Name);
  return {
    containers: removed.containers.size,
    networks: removed.networks.size,
    volumes: volumes.length,
    ms: Date.now() - started,
  };
}
