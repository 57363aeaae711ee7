import type Docker from 'dockerode';
import { retry } from '../../common/retry';
import { isNotFound, traced } from './traced';

export type NetworkSummary = Docker.NetworkInspectInfo;

/** Network calls; the only place networks touch dockerode. */
export class NetworkClient {
  constructor(private readonly docker: Docker) {}

  list(filters: Record<string, string[]>): Promise<NetworkSummary[]> {
    return traced(`list networks ${JSON.stringify(filters)}`, () =>
      retry(() => this.docker.listNetworks({ filters })),
    );
  }

  async create(options: Docker.NetworkCreateOptions): Promise<string> {
    return traced(`create network ${options.Name}`, async () => {
      const network = await retry(() => this.docker.createNetwork(options));
      return network.id;
    });
  }

  remove(id: string): Promise<void> {
    return traced(`remove network ${id}`, async () => {
      try {
        await retry(() => this.docker.getNetwork(id).remove());
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }
}

/** Volume calls live here too: the range only lists and removes labelled volumes. */
export class VolumeClient {
  constructor(private readonly docker: Docker) {}

  async list(filters: Record<string, string[]>): Promise<Docker.VolumeInspectInfo[]> {
    return traced(
      'list volumes',
      async () => (await retry(() => this.docker.listVolumes({ filters }))).Volumes ?? [],
    );
  }

  remove(name: string): Promise<void> {
    return traced(`remove volume ${name}`, async () => {
      try {
        await retry(() => this.docker.getVolume(name).remove());
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }
}
