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

/** Passes over the labels; each after the first only finds what landed late (see below). */
const MAX_PASSES = 4;
/** How long a pass waits for engine requests still in flight before it looks again, ms. */
const SETTLE_MS = 300;

/**
 * Removes every container, network and volume labelled with the exercise (or with any exercise). Works
 * from labels alone, so it cleans up after a killed orchestrator or a failed `up`; safe to run twice.
 *
 * An `up` killed a moment ago may have requests the engine still carries out (a network or a
 * container created after our listing), and a concurrent `up` may add more: so `down` looks again
 * after a short settle, until a pass finds nothing (at most MAX_PASSES). A network that cannot be
 * removed because a late container joined it is retried by the next pass; only a failure that
 * outlives every pass is reported.
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
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    if (pass > 0) await new Promise((r) => setTimeout(r, SETTLE_MS));
    const { containers } = await observe(clients, exercise);
    await removeContainers(clients, containers, limit, emit);
    const { networks } = await observe(clients, exercise);
    if (pass > 0 && containers.length === 0 && networks.length === 0) break;
    for (const c of containers) removed.containers.add(c.Id);
    failure = undefined;
    try {
      await removeNetworks(clients, networks, limit, emit);
    } catch (e) {
      failure = e;
    }
    for (const n of networks) removed.networks.add(n.Id);
  }
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
