import type Docker from 'dockerode';
import { retry } from '../../common/retry';
import { isNotFound, traced } from './traced';

export type ServiceSpec = Docker.CreateServiceOptions;
export type ServiceSummary = Docker.Service & {
  ID: string;
  Version?: { Index?: number };
  Spec?: ServiceSpec;
};
/** The fields of a task the range reads (the engine's JSON; dockerode's type lacks most of them). */
export interface TaskSummary {
  ID: string;
  ServiceID?: string;
  NodeID?: string;
  CreatedAt?: string;
  Labels?: Record<string, string>;
  DesiredState?: string;
  Status?: {
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
  NetworksAttachments?: { Network?: { Spec?: { Name?: string } }; Addresses?: string[] }[];
}

/**
 * Swarm service and task calls; the only place services touch dockerode. Services are created with
 * `createService(spec)` (no registry auth: images are local); an update needs the service's current version, which goes in the
 * query while the spec goes in the body (docker-modem would otherwise put the whole spec in the URL).
 */
export class ServiceClient {
  constructor(private readonly docker: Docker) {}

  list(filters: Record<string, string[]>): Promise<ServiceSummary[]> {
    return traced(`list services ${JSON.stringify(filters)}`, async () => {
      const services = await retry(() => this.docker.listServices({ filters }));
      return services as unknown as ServiceSummary[];
    });
  }

  create(spec: ServiceSpec): Promise<string> {
    return traced(`create service ${spec.Name}`, async () => {
      const created = (await this.docker.createService(spec)) as unknown as {
        id?: string;
        ID?: string;
      };
      return created.id ?? created.ID ?? '';
    });
  }

  update(id: string, version: number, spec: ServiceSpec): Promise<void> {
    return traced(`update service ${spec.Name} (version ${version})`, async () => {
      const options = { _query: { version }, _body: spec } as unknown as Record<string, unknown>;
      await this.docker.getService(id).update(options);
    });
  }

  remove(id: string): Promise<void> {
    return traced(`remove service ${id}`, async () => {
      try {
        await retry(() => this.docker.getService(id).remove());
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }

  tasks(filters: Record<string, string[]>): Promise<TaskSummary[]> {
    return traced(`list tasks ${JSON.stringify(filters)}`, () =>
      retry(async () => (await this.docker.listTasks({ filters })) as unknown as TaskSummary[]),
    );
  }
}
