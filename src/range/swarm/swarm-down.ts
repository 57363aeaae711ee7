import type { Clients } from '../docker/clients';
import type { DownResult } from '../lifecycle/range-down';
import { ignoreProgress, type RangeListener } from '../progress';
import { observeSwarm } from './swarm-observe';
import { removeOverlays, removeServices } from './swarm-remove';

/**
 * Removes every Swarm service and overlay network labelled with the exercise (or any exercise), from
 * labels alone: works after a killed orchestrator or a failed `up`, and is safe to run twice.
 */
export async function swarmDown(
  clients: Clients,
  exercise: string | 'all',
  options: { concurrency?: number; onProgress?: RangeListener } = {},
): Promise<DownResult> {
  const started = Date.now();
  const emit = options.onProgress ?? ignoreProgress;
  const observed = await observeSwarm(clients, exercise);
  await removeServices(clients, observed.services, options.concurrency ?? 12, emit);
  // A service created by an interrupted `up` after the listing: one more pass.
  const late = (await observeSwarm(clients, exercise)).services;
  await removeServices(clients, late, options.concurrency ?? 12, emit);
  const networks = (await observeSwarm(clients, exercise)).networks;
  await removeOverlays(clients, networks, emit);
  return {
    containers: observed.services.length + late.length,
    networks: networks.length,
    volumes: 0,
    ms: Date.now() - started,
  };
}
