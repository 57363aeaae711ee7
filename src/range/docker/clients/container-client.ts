import type Docker from 'dockerode';
import { retry } from '../../common/retry';
import { isNotFound, isNotModified, traced } from './traced';

export type ContainerSummary = Docker.ContainerInfo;
/** A listing entry asked with `size: true`: bytes in the writable layer (and with the image). */
export type SizedContainer = ContainerSummary & { SizeRw?: number; SizeRootFs?: number };

/** Container calls; the only place container lifecycles touch dockerode. */
export class ContainerClient {
  constructor(private readonly docker: Docker) {}

  list(filters: Record<string, string[]>): Promise<ContainerSummary[]> {
    // `all: true`: stopped and exited containers are still ours to report and remove.
    return traced(`list containers ${JSON.stringify(filters)}`, () =>
      retry(() => this.docker.listContainers({ all: true, filters })),
    );
  }

  /**
   * Like `list`, with each container's writable-layer size (`SizeRw`). The engine walks every
   * writable layer for it, so range health calls it for one exercise's containers only.
   */
  listWithSize(filters: Record<string, string[]>): Promise<SizedContainer[]> {
    return traced(`list containers with size ${JSON.stringify(filters)}`, () =>
      retry(
        () => this.docker.listContainers({ all: true, size: true, filters }) as Promise<SizedContainer[]>,
      ),
    );
  }

  create(options: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    return traced(`create container ${options.name}`, () =>
      retry(() => this.docker.createContainer(options)),
    );
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

  /** Waits for a container to exit and returns its exit code (stream client: may be long and quiet). */
  wait(id: string): Promise<number> {
    return traced(`wait for container ${id}`, async () => {
      const result = (await this.docker.getContainer(id).wait()) as { StatusCode: number };
      return result.StatusCode;
    });
  }

  inspect(id: string): Promise<Docker.ContainerInspectInfo> {
    return traced(`inspect container ${id}`, () => retry(() => this.docker.getContainer(id).inspect()));
  }

  /** The last lines of a container's output (stdout and stderr, demultiplexed), for failure reports. */
  logs(id: string, tail = 20): Promise<string> {
    return traced(`logs of ${id}`, async () => {
      const raw = (await this.docker
        .getContainer(id)
        .logs({ stdout: true, stderr: true, tail, follow: false })) as Buffer;
      return demultiplex(raw);
    });
  }

  /** Sends a signal (default SIGKILL); a container that is not running is fine (409/304). */
  kill(id: string, signal = 'SIGKILL'): Promise<void> {
    return traced(`kill container ${id} (${signal})`, async () => {
      try {
        await this.docker.getContainer(id).kill({ signal });
      } catch (error) {
        if (isNotModified(error) || /is not running/i.test(String(error))) return;
        throw error;
      }
    });
  }

  /** Force-removes with anonymous volumes; a container already gone is fine (remove is safe twice). */
  remove(id: string): Promise<void> {
    return traced(`remove container ${id}`, async () => {
      try {
        await retry(() => this.docker.getContainer(id).remove({ force: true, v: true }));
      } catch (error) {
        if (isNotFound(error) || /removal of container .* is already in progress/i.test(String(error)))
          return;
        throw error;
      }
    });
  }
}

/** Non-TTY output arrives in frames: 1 byte stream, 3 padding, 4 bytes big-endian length, then payload. */
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}
