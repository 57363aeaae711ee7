/** The runtime-client layer: the only module that imports dockerode. */
import { ContainerClient } from './container-client';
import type { Engine } from './engine';
import { ExecClient } from './exec-client';
import { ImageClient } from './image-client';
import { NetworkClient, VolumeClient } from './network-client';
import { NodeClient } from './node-client';
import { OutputClient } from './output-client';
import { ServiceClient } from './service-client';
import { TtyExecClient } from './tty-exec-client';

export type { ContainerSummary, SizedContainer } from './container-client';
export { connectEngine, createEngine, type Engine, pingEngine, withDeadline } from './engine';
export { type EngineEvent, followEvents } from './events-client';
export type { ExecResult } from './exec-client';
export type { NetworkSummary } from './network-client';
export type { SwarmNode } from './node-client';
export { engineSince, type WatchEnd } from './output-client';
export type { ServiceSpec, ServiceSummary, TaskSummary } from './service-client';
export { isConflict } from './traced';
export type { TtyExec, TtyExecOptions } from './tty-exec-client';

export interface Clients {
  engine: Engine;
  containers: ContainerClient;
  networks: NetworkClient;
  volumes: VolumeClient;
  images: ImageClient;
  exec: ExecClient;
  output: OutputClient;
  services: ServiceClient;
  nodes: NodeClient;
  tty: TtyExecClient;
}

export function clientsFor(engine: Engine): Clients {
  return {
    engine,
    containers: new ContainerClient(engine.api),
    networks: new NetworkClient(engine.api),
    volumes: new VolumeClient(engine.api),
    // Builds and execs are long and quiet: they use the client without an idle timeout.
    images: new ImageClient(engine.stream),
    exec: new ExecClient(engine.stream),
    output: new OutputClient(engine.stream),
    services: new ServiceClient(engine.api),
    nodes: new NodeClient(engine.api),
    tty: new TtyExecClient(engine.stream),
  };
}

import type Docker from 'dockerode';
export type ContainerCreateOptions = Docker.ContainerCreateOptions;
export type NetworkCreateOptions = Docker.NetworkCreateOptions;
