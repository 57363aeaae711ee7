import type { Clients } from '../docker/clients';
import type { DownResult } from '../lifecycle/range-down';
import { passesUntilSettled } from '../lifecycle/settled-passes';
import { ignoreProgress, type RangeListener } from '../progress';
import { observeSwarm } from './swarm-observe';
import { removeOverlays, removeServices } from './swarm-remove';

/**
 * Removes every Swarm service and overlay network labelled with the exercise (or any exercise), from
 * labels alone: works after a killed orchestrator or a failed `up`, and is safe to run twice. It
 * looks again until nothing is left, as `rangeDown` does (see ../lifecycle/settled-passes.ts).
 */
export async function swarmDown(
  clients: Clients,
  exercise: string | 'all',
  options: { concurrency?: number; onProgress?: RangeListener } = {},
): Promise<DownResult> {
  const started = Date.now();
  const emit = options.onProgress ?? ignoreProgress;
  const removed = { services: new Set<string>(), networks: new Set<string>() };
  await passesUntilSettled(async () => {
    const { services } = await observeSwarm(clients, exercise);
    await removeServices(clients, services, options.concurrency ?? 12, emit);
    const { networks } = await observeSwarm(clients, exercise);
    await removeOverlays(clients, networks, emit);
    for (const s of services) removed.services.add(s.ID);
    for (const n of networks) removed.networks.add(n.Id);
    return services.length + networks.length;
  });
  return {
    containers: removed.services.size,
    networks: removed.networks.size,
    volumes: 0,
    ms: Date.now() - started,
  };
}
