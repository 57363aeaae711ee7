import { KeyedLocks } from '../common/keyed-locks';
import { limiter } from '../common/limiter';
import { mapBounded } from '../common/queue';
import type { Clients, ContainerSummary, NetworkSummary } from '../docker/clients';
import { LABEL } from '../labels';
import type { RangeListener } from '../progress';
import { RangeFailure } from '../range-error';
import { containerName } from '../reconcile/observed-state';

/** Force-removes containers (with their anonymous volumes), bounded; fails after trying them all. */
export async function removeContainers(
  clients: Clients,
  containers: readonly ContainerSummary[],
  limit: number,
  emit: RangeListener,
): Promise<void> {
  const engine = limiter(limit);
  // One container at a time per network (see KeyedLocks); up to `limit` networks at once.
  const locks = new KeyedLocks();
  const results = await mapBounded(containers, containers.length, async (c) => {
    await locks.run(Object.keys(c.NetworkSettings?.Networks ?? {}), () =>
      engine.run(() => clients.containers.remove(c.Id)),
    );
    emit({
      type: 'host',
      team: c.Labels?.[LABEL.team] ?? '',
      host: c.Labels?.[LABEL.host] ?? '',
      name: containerName(c),
      state: 'removed',
    });
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length && !failed[0]!.ok) {
    throw new RangeFailure(
      `${failed.length} containers could not be removed: ${failed[0]!.error.message}`,
      'retry `cyrange down`',
    );
  }
}

/** Removes networks once their containers are gone; fails after trying them all. */
export async function removeNetworks(
  clients: Clients,
  networks: readonly NetworkSummary[],
  limit: number,
  emit: RangeListener,
): Promise<void> {
  const results = await mapBounded(networks, limit, async (n) => {
    await clients.networks.remove(n.Id);
    emit({
      type: 'network',
      team: n.Labels?.[LABEL.team] ?? '',
      segment: n.Labels?.[LABEL.segment] ?? '',
      name: n.Name,
      action: 'removed',
    });
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length && !failed[0]!.ok) {
    const message = failed[0]!.error.message;
    throw new RangeFailure(
      `${failed.length} networks could not be removed: ${message}`,
      /active endpoints/.test(message)
        ? 'the engine lost count of the endpoints of a network with no containers left (a dockerd bug): restart dockerd, then run `cyrange down` again'
        : 'retry `cyrange down`',
    );
  }
}
