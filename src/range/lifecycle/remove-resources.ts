import { KeyedLocks } from '../common/keyed-locks';
import { limiter } from '../common/limiter';
import type { Clients, ContainerSummary, NetworkSummary } from '../docker/clients';
import { LABEL } from '../labels';
import type { RangeListener } from '../progress';
import { RangeFailure } from '../range-error';
import { containerName } from '../reconcile/observed-state';

/**
 * Force-removes containers (with their anonymous volumes) and removes networks, each network as soon as
 * the last of the listed containers attached to it is gone. Removing a network costs the engine a bridge
 * and its isolation rules (≈ 90 ms each, one at a time, on the test machine): started while other
 * teams' containers are still being removed, that cost hides under theirs instead of adding a tail
 * (docs/BENCHMARKS.md). Containers go one at a time per network (see KeyedLocks), up to `limit` at once.
 * Tries everything, then fails naming the first failure (a network whose container could not be
 * removed is not tried: the caller's next pass finds both again).
 */
export async function removeResources(
  clients: Clients,
  containers: readonly ContainerSummary[],
  networks: readonly NetworkSummary[],
  limit: number,
  emit: RangeListener,
): Promise<void> {
  const engine = limiter(limit);
  const locks = new KeyedLocks();
  // Each listed network with the number of listed containers still attached to it.
  const attached = new Map(networks.map((n) => [n.Name, { network: n, left: 0 }]));
  const networkOf = (c: ContainerSummary): string[] => Object.keys(c.NetworkSettings?.Networks ?? {});
  for (const c of containers) {
    for (const name of networkOf(c)) {
      const entry = attached.get(name);
      if (entry) entry.left++;
    }
  }
  const networkJobs: Promise<Error | undefined>[] = [];
  const removeNetwork = (n: NetworkSummary): void => {
    networkJobs.push(
      engine
        .run(() => clients.networks.remove(n.Id))
        .then(() => {
          emit({
            type: 'network',
            team: n.Labels?.[LABEL.team] ?? '',
            segment: n.Labels?.[LABEL.segment] ?? '',
            name: n.Name,
            action: 'removed',
          });
          return undefined;
        })
        .catch((error: unknown) => asError(error)),
    );
  };
  for (const { network, left } of attached.values()) if (left === 0) removeNetwork(network);
  const containerErrors = await Promise.all(
    containers.map(async (c) => {
      try {
        await locks.run(networkOf(c), () => engine.run(() => clients.containers.remove(c.Id)));
      } catch (error) {
        return asError(error);
      }
      emit({
        type: 'host',
        team: c.Labels?.[LABEL.team] ?? '',
        host: c.Labels?.[LABEL.host] ?? '',
        name: containerName(c),
        state: 'removed',
      });
      for (const name of networkOf(c)) {
        const entry = attached.get(name);
        if (entry && --entry.left === 0) removeNetwork(entry.network);
      }
      return undefined;
    }),
  );
  const networkErrors = await Promise.all(networkJobs);
  failIfAny(containerErrors, 'containers', 'retry `cyrange down`');
  const firstNetworkError = networkErrors.find((e) => e !== undefined);
  failIfAny(
    networkErrors,
    'networks',
    firstNetworkError && /active endpoints/.test(firstNetworkError.message)
      ? 'the engine lost count of the endpoints of a network with no containers left (a dockerd bug): restart dockerd, then run `cyrange down` again'
      : 'retry `cyrange down`',
  );
}

/** Force-removes containers, bounded; fails after trying them all. */
export function removeContainers(
  clients: Clients,
  containers: readonly ContainerSummary[],
  limit: number,
  emit: RangeListener,
): Promise<void> {
  return removeResources(clients, containers, [], limit, emit);
}

/** Removes networks whose containers are gone; fails after trying them all. */
export function removeNetworks(
  clients: Clients,
  networks: readonly NetworkSummary[],
  limit: number,
  emit: RangeListener,
): Promise<void> {
  return removeResources(clients, [], networks, limit, emit);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function failIfAny(errors: (Error | undefined)[], what: string, fix: string): void {
  const failed = errors.filter((e): e is Error => e !== undefined);
  if (failed.length) {
    throw new RangeFailure(`${failed.length} ${what} could not be removed: ${failed[0]!.message}`, fix);
  }
}
