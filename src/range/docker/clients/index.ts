/** The runtime-client layer: the only module that imports dockerode. */
import { ContainerClient } from './container-client';
import type { Engine } from './engine';
import { ExecClient } from './exec-client';
import { ImageClient } from './image-client';
import { NetworkClient, VolumeClient } from './network-client';

export type { ContainerSummary } from './container-client';
export { connectEngine, createEngine, type Engine } from './engine';
export { type EngineEvent, followEvents } from './events-client';
export type { ExecResult } from './exec-client';
export type { NetworkSummary } from './network-client';
export { isConflict } from './traced';

export interface Clients {
  engine: Engine;
  containers: ContainerClient;
  networks: NetworkClient;
  volumes: VolumeClient;
  images: ImageClient;
  exec: ExecClient;
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
  };
}

import type Docker from 'dockerode';
export type ContainerCreateOptions = Docker.ContainerCreateOptions;
export type NetworkCreateOptions = Docker.NetworkCreateOptions;
