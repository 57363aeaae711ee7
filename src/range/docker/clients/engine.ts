import Docker from 'dockerode';
import { logger } from '../../common/logger';
import { noEngine } from '../../range-error';

const log = logger('engine');

/**
 * The two dockerode clients the range uses. `api` has an idle timeout so a wedged daemon fails a call
 * instead of hanging it; `stream` has none because the timeout would kill quiet event and log streams.
 */
export interface Engine {
  api: Docker;
  stream: Docker;
  where: string;
}

function where(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

export function createEngine(options: { timeoutMs?: number } = {}): Engine {
  // docker-modem reads DOCKER_HOST itself when given no options.
  const api = new Docker({ ...defaultOptions(), timeout: options.timeoutMs ?? 120_000 });
  const stream = new Docker(defaultOptions());
  return { api, stream, where: where() };
}

function defaultOptions(): Docker.DockerOptions {
  return process.env.DOCKER_HOST ? {} : { socketPath: '/var/run/docker.sock' };
}

/** Fails fast with the fix when no engine answers; never hangs (bounded by `timeoutMs`). */
export async function connectEngine(options: { timeoutMs?: number } = {}): Promise<Engine> {
  const engine = createEngine(options);
  log.debug(`ping ${engine.where}`);
  try {
    await withDeadline(engine.api.ping(), 5_000, 'ping timed out after 5s');
  } catch (error) {
    log.debug(`ping failed: ${(error as Error).message}`);
    throw noEngine(engine.where, error);
  }
  log.debug('engine answers');
  return engine;
}

/**
 * One ping with a deadline: resolves when the engine answers, rejects with why otherwise. The engine
 * watch calls it every second; a daemon killed mid-call fails it at once (socket reset), a wedged
 * one by the deadline.
 */
export async function pingEngine(engine: Engine, deadlineMs: number): Promise<void> {
  await withDeadline(engine.api.ping(), deadlineMs, `ping timed out after ${deadlineMs} ms`);
}

export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
