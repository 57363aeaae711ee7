/**
 * `cyrange serve` without a FILE. With a launched exercise in the database it resumes that
 * exercise; otherwise it serves the setup page until the controller launches one, hands the
 * controller's page a login of the new exercise, and serves the exercise on the same port.
 */
import { join } from 'node:path';
import type { Plan } from '../compiler/plan';
import { SandboxHostDriver } from '../engine/live/sandbox-host-driver';
import type { EventStore } from '../engine/store/event-store';
import { clientsFor, connectEngine } from '../range/docker/clients';
import { type LiveRange, openLiveRange } from '../range/driver/live-range';
import type { ServerConfig } from '../server/config';
import { LaunchStore, type StoredLaunch } from '../server/setup/launch-store';
import { defaultScenarioDir, ScenarioLibrary } from '../server/setup/scenario-library';
import { createSetupServer } from '../server/setup/setup-server';
import { CliExit, EXIT } from './exit-codes';
import { openWritableStore } from './open-store';
import { rangeExit } from './range-exit';
import { serveExercise } from './serve-exercise';

export interface SetupModeOptions {
  db: string;
  config: ServerConfig;
  sandbox?: string;
  start?: boolean;
  speed?: number;
  /** Folder of the scenarios the setup page offers (default: the package's `scenarios/`). */
  scenarios?: string;
  webRoot?: string;
  out: (line: string) => void;
  /** Ends serving (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

export async function serveSetupMode(o: SetupModeOptions): Promise<void> {
  const store = openWritableStore(o.db);
  const launches = new LaunchStore(store.db, () => Date.now());
  const resumed = launches.latestLaunched();
  if (resumed) {
    o.out(`resuming launch ${resumed.id} (${resumed.scenario}, ${resumed.mode}): session ${resumed.session}`);
    return serveLaunched(store, launches, resumed, o, o.config);
  }
  const setup = createSetupServer({
    store,
    config: o.config,
    library: new ScenarioLibrary(o.scenarios ?? defaultScenarioDir()),
    connect: async () => clientsFor(await connectEngine()),
    ...(o.webRoot ? { webRoot: o.webRoot } : {}),
  });
  let started: Awaited<ReturnType<typeof setup.listen>>;
  try {
    started = await setup.listen();
  } catch (e) {
    store.close();
    throw new CliExit(
      EXIT.environment,
      `cannot listen on ${o.config.host}:${o.config.port}: ${(e as Error).message} — pick another --port`,
    );
  }
  o.out(`setup mode: no exercise launched in ${o.db} yet`);
  o.out(`controller   ${started.controllerLink().url}`);
  o.out(`console      ${started.url}/setup  (open the controller link above to sign in)`);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (o.signal) o.signal.addEventListener('abort', onSignal, { once: true });
  else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const aborted = new Promise<undefined>((resolve) =>
    stop.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
  );
  const launched = await Promise.race([started.launched, aborted]);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  o.signal?.removeEventListener('abort', onSignal);
  if (!launched) {
    await started.stop();
    store.close();
    o.out('stopped the setup server; nothing was launched');
    return;
  }
  await started.handover(launched.session, o.config.sessionTtlMs);
  o.out(`launched session ${launched.session}; the exercise takes over ${started.url}`);
  return serveLaunched(store, launches, launched.launch, o, { ...o.config, port: started.port });
}

async function serveLaunched(
  store: EventStore,
  launches: LaunchStore,
  launch: StoredLaunch,
  o: SetupModeOptions,
  config: ServerConfig,
): Promise<void> {
  const session = launch.session!;
  let live: LiveRange | undefined;
  if (launch.mode === 'live' && launch.status === 'launched') {
    const plan = store.sessionPlan<Plan>(session)!;
    try {
      live = await rangeExit(() => openLiveRange(plan, launch.exercise));
    } catch (e) {
      store.close();
      throw e;
    }
  } else if (launch.status === 'torn-down') {
    o.out(`its live range was torn down: serving the exercise's log, board and review only`);
  }
  const driver = live?.driver ?? new SandboxHostDriver(o.sandbox ?? join(`${o.db}.sandbox`, session));
  await serveExercise({
    store,
    session,
    live,
    driver,
    config,
    ...(o.start ? { start: true } : {}),
    ...(o.speed !== undefined ? { speed: o.speed } : {}),
    ...(o.webRoot ? { webRoot: o.webRoot } : {}),
    onTornDown: () => launches.tornDown(launch.id),
    out: o.out,
    ...(o.signal ? { signal: o.signal } : {}),
  });
}
