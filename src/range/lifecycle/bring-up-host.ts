import type { KeyedLocks } from '../common/keyed-locks';
import type { Limiter } from '../common/limiter';
import type { HostSpec } from '../desired-state';
import { type Clients, engineSince, isConflict } from '../docker/clients';
import type { RangeListener } from '../progress';
import { waitReady } from '../readiness/wait-ready';

export interface HostOutcome {
  name: string;
  ok: boolean;
  reason?: string;
}

/**
 * One host from nothing (or from stopped) to ready: create with its first network, connect the others
 * before start (so every address is in place when the entrypoint runs), start, wait for readiness. Any
 * failure removes the container: a host is either ready or gone, never half-started.
 */
export async function bringUpHost(
  clients: Clients,
  spec: HostSpec,
  emit: RangeListener,
  options: {
    existing?: boolean;
    readyTimeoutMs?: number;
    engine: Limiter;
    checks: Limiter;
    networks: KeyedLocks;
  },
): Promise<HostOutcome> {
  const event = { type: 'host' as const, team: spec.team, host: spec.host, name: spec.name };
  try {
    // Engine calls hold a slot of the engine limiter; readiness polling (mostly waiting) holds one of
    // the checks limiter, so hosts waiting to be ready never block others from being created. Create
    // and connect only record configuration; the endpoints are made at start, so only start holds the
    // locks of the host's networks (see KeyedLocks).
    const networks = spec.interfaces.map((i) => i.network);
    // A stopped container's log still holds what its last run said: wait only for what follows it.
    let since: string | undefined;
    if (options.existing) {
      since = engineSince((await clients.containers.inspect(spec.name)).State.FinishedAt);
    } else {
      await options.engine.run(async () => {
        emit({ ...event, state: 'creating' });
        await clients.containers.create(spec.options).catch(async (error: unknown) => {
          // A killed `up` can leave a create in flight in the daemon that lands after our listing.
          if (!isConflict(error)) throw error;
          await clients.containers.remove(spec.name);
          await clients.containers.create(spec.options);
        });
        for (const extra of spec.interfaces.slice(1)) {
          await clients.containers.connect(extra.network, spec.name, extra.ip, extra.aliases);
        }
      });
    }
    await options.networks.run(networks, () =>
      options.engine.run(async () => {
        emit({ ...event, state: 'starting' });
        await clients.containers.start(spec.name);
      }),
    );
    await options.checks.run(() =>
      waitReady(clients, spec.name, {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        ...(since ? { since } : {}),
      }),
    );
    emit({ ...event, state: 'ready' });
    return { name: spec.name, ok: true };
  } catch (error) {
    const reason = (error as Error).message;
    emit({ ...event, state: 'failed', detail: reason });
    await options.networks
      .run(
        spec.interfaces.map((i) => i.network),
        () => options.engine.run(() => clients.containers.remove(spec.name)),
      )
      .catch(() => undefined);
    emit({ ...event, state: 'removed' });
    return { name: spec.name, ok: false, reason };
  }
}
