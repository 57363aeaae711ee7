import { mapBounded } from '../common/queue';
import type { Clients, NetworkSummary, ServiceSummary } from '../docker/clients';
import { LABEL } from '../labels';
import type { RangeListener } from '../progress';

/** Removes services (their tasks' containers go with them). */
export async function removeServices(
  clients: Clients,
  services: ServiceSummary[],
  limit: number,
  emit: RangeListener,
): Promise<void> {
  await mapBounded(services, limit, async (s) => {
    await clients.services.remove(s.ID);
    const labels = (s.Spec?.Labels ?? {}) as Record<string, string>;
    emit({
      type: 'host',
      team: labels[LABEL.team] ?? '',
      host: labels[LABEL.host] ?? '',
      name: s.Spec?.Name ?? s.ID,
      state: 'removed',
    });
  });
}

/**
 * Removes overlay networks. The engine refuses while a removed service's task still holds an endpoint,
 * so each removal is retried for up to 60 s (tasks shut down within seconds), then awaited (30 s at most).
 */
export async function removeOverlays(
  clients: Clients,
  networks: NetworkSummary[],
  emit: RangeListener,
): Promise<void> {
  for (const n of networks) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await clients.networks.remove(n.Id);
        break;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    // The manager deletes a swarm network once its last task has let go: wait until it is gone.
    for (let i = 0; i < 120 && (await clients.networks.list({ id: [n.Id] })).some((m) => m.Id === n.Id); i++)
      await new Promise((resolve) => setTimeout(resolve, 250));
    const labels = n.Labels ?? {};
    emit({
      type: 'network',
      team: labels[LABEL.team] ?? '',
      segment: labels[LABEL.segment] ?? '',
      name: n.Name,
      action: 'removed',
    });
  }
}
