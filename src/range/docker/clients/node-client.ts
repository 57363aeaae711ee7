import type Docker from 'dockerode';
import { retry } from '../../common/retry';
import { traced } from './traced';

export interface SwarmNode {
  id: string;
  hostname: string;
  labels: Record<string, string>;
  ready: boolean;
}

/** Swarm membership and nodes (for placement); the engine's API version (for what a service spec may hold). */
export class NodeClient {
  constructor(private readonly docker: Docker) {}

  /** `active` only when this engine is a swarm manager (workers cannot create services). */
  async swarmState(): Promise<{ state: string; manager: boolean; apiVersion: string; nodeId: string }> {
    return traced('swarm state', async () => {
      const info = (await retry(() => this.docker.info())) as {
        Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string };
      };
      const version = (await retry(() => this.docker.version())) as { ApiVersion?: string };
      return {
        state: info.Swarm?.LocalNodeState ?? 'inactive',
        manager: Boolean(info.Swarm?.ControlAvailable),
        apiVersion: version.ApiVersion ?? '0',
        nodeId: info.Swarm?.NodeID ?? '',
      };
    });
  }

  list(): Promise<SwarmNode[]> {
    return traced('list nodes', async () => {
      const nodes = (await retry(() => this.docker.listNodes())) as {
        ID: string;
        Description?: { Hostname?: string };
        Spec?: { Labels?: Record<string, string> };
        Status?: { State?: string };
      }[];
      return nodes.map((n) => ({
        id: n.ID,
        hostname: n.Description?.Hostname ?? n.ID,
        labels: n.Spec?.Labels ?? {},
        ready: n.Status?.State === 'ready',
      }));
    });
  }
}
