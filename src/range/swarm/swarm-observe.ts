import type { Clients, NetworkSummary, ServiceSummary } from '../docker/clients';
import { exerciseFilter, LABEL } from '../labels';

export interface SwarmObserved {
  services: ServiceSummary[];
  networks: NetworkSummary[];
}

/** What the swarm has for an exercise (or all), found by label only. */
export async function observeSwarm(clients: Clients, exercise: string | 'all'): Promise<SwarmObserved> {
  const filter = exerciseFilter(exercise);
  const swarmOnly = { label: [...filter.label, `${LABEL.backend}=swarm`] };
  const [services, networks] = await Promise.all([
    clients.services.list(swarmOnly),
    clients.networks.list({ ...swarmOnly, driver: ['overlay'] }),
  ]);
  return { services, networks };
}

export function serviceLabels(service: ServiceSummary): Record<string, string> {
  return (service.Spec?.Labels as Record<string, string> | undefined) ?? {};
}
