import type Docker from 'dockerode';
import { retry } from '../../common/retry';
import { isNotFound, isNotModified, traced } from './traced';

export type ContainerSummary = Docker.ContainerInfo;

/** Container calls; the only place container lifecycles touch dockerode. */
export class ContainerClient {
  constructor(private readonly docker: Docker) {}

  list(filters: Record<string, string[]>): Promise<ContainerSummary[]> {
    // `all: true`: stopped and exited containers are still ours to report and remove.
    return traced(`list containers ${JSON.stringify(filters)}`, () =>
      retry(() => this.docker.listContainers({ all: true, filters })),
    );
  }

  create(options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    return traced(`create container ${options.name}`, () => retry(() => this.docker.createContainer(options)));
  }

  connect(network: string, container: string, ipv4: string, aliases: string[]): Promise<void> {
    return traced(`connect ${container} to ${network} as ${ipv4}`, () =>
      retry(() =>
        this.docker.getNetwork(network).connect({
          Container: container,
          EndpointConfig: { IPAMConfig: { IPv4Address: ipv4 }, Aliases: aliases },
        }),
      ),
    );
  }

  start(id: string): Promise<void> {
    return traced(`start container ${id}`, async () => {
      try {
        await retry(() => this.docker.getContainer(id).start());
      } catch (error) {
        if (!isNotModified(error)) throw error;
      }
    });
  }

  inspect(id: string): Promise<Docker.ContainerInspectInfo> {
    return traced(`inspect container ${id}`, () => retry(() => this.docker.getContainer(id).inspect()));
  }

  /** Force-removes with anonymous volumes; a container already gone is fine (remove is safe twice). */
  remove(id: string): Promise<void> {
    return traced(`remove container ${id}`, async () => {
      try {
        await retry(() => this.docker.getContainer(id).remove({ force: true, v: true }));
      } catch (error) {
        if (isNotFound(error) || /removal of container .* is already in progress/i.test(String(error))) return;
        throw error;
      }
    });
  }
}
