import type { Clients } from '../docker/clients';
import { RangeFailure } from '../range-error';

/** Services need a swarm manager; capabilities in a service spec need Engine API 1.41 (Docker 20.10). */
export async function requireSwarmManager(clients: Clients): Promise<void> {
  const swarm = await clients.nodes.swarmState();
  if (swarm.state !== 'active' || !swarm.manager) {
    throw new RangeFailure(
      `this engine is not a swarm manager (swarm ${swarm.state})`,
      'run `docker swarm init --advertise-addr <address>` on this engine (see docs/RANGE.md, Swarm), or use `--backend docker`',
    );
  }
  const [major = 0, minor = 0] = swarm.apiVersion.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 41)) {
    throw new RangeFailure(
      `engine API ${swarm.apiVersion} cannot drop capabilities of a service`,
      'use Docker 20.10 or later (API 1.41) on every swarm node',
    );
  }
}
