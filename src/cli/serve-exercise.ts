/**
 * Serving one exercise until interrupted: the session runner, the exercise server, the response
 * monitor, the printed join links, and the loop that runs the clock to the scenario's end. Shared
 * by `serve FILE` and by setup mode after a launch (or on a restart that resumes a launch).
 * The store is closed when serving ends.
 */

import type { LiveHostDriver } from '../engine/live/live-host-driver';
import { SessionRunner } from '../engine/session/session-runner';
import type { EventStore } from '../engine/store/event-store';
import { type StorageFault, storageFaultOf, storageFaultReporter } from '../engine/store/storage-fault';
import { clientsFor, connectEngine } from '../range/docker/clients';
import type { LiveRange } from '../range/driver/live-range';
import { RangeHealthMonitor } from '../range/health/range-health-monitor';
import { rangeDown } from '../range/lifecycle/range-down';
import { rangeRestorer } from '../response/live-restore';
import { followLog } from '../response/log-follower';
import { ResponseMonitor } from '../response/response-monitor';
import type { ServerConfig } from '../server/config';
import { createServer } from '../server/server';
import type { RangeTeardown } from '../server/setup/teardown-routes';
import { dockerTerminalBackend } from '../server/terminal/terminal-backend';
import { CliExit, EXIT } from './exit-codes';

export interface ServeExerciseInput {
  store: EventStore;
  session: string;
  live: LiveRange | undefined;
  driver: LiveHostDriver;
  config: ServerConfig;
  /** Start the clock at once (`--start`), at this speed when given. */
  start?: boolean;
  speed?: number;
  webRoot?: string;
  /** Called after the live range was torn down from the console. */
  onTornDown?: () => void;
  out: (line: string) => void;
  /** Ends serving (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

export async function serveExercise(input: ServeExerciseInput): Promise<void> {
  const { store, session, live, driver, out } = input;
  let notify = () => {};
  const reportStorage = storageFaultReporter('cyrange serve');
  // Until the server listens, a fault is only reported on stderr; the server then tells pages.
  let tellPages: (fault: StorageFault | undefined) => void = () => {};
  const runner = new SessionRunner({
    store,
    session,
    driver,
    onEvent: () => notify(),
    onStorageFault: (fault) => {
      reportStorage(fault);
      tellPages(fault);
    },
  });
  live?.collectInto(runner, store.read(session));
  const clients = live ? clientsFor(await connectEngine()) : undefined;
  // Range health: host states for the console, the disk guard, and the engine watch that
  // reconciles the range after the engine comes back (src/range/health).
  const rangeHealth =
    live && clients
      ? new RangeHealthMonitor({
          clients,
          plan: runner.plan,
          exercise: live.exercise,
          record: (events) => runner.record(events),
          restoreHost: rangeRestorer(clients, runner.plan, live.exercise),
          afterChange: () => live.driver.hosts.refresh(),
          say: (m) => process.stderr.write(`cyrange serve: ${m}\n`),
        })
      : undefined;
  const teardown: RangeTeardown | undefined =
    live && clients
      ? {
          exercise: live.exercise,
          down: async () => {
            // Log collection reads the containers about to go: stop it first, after a last poll.
            await live.stop();
            // Or the engine watch would bring the range back after the next engine hiccup.
            await rangeHealth?.stop();
            const result = await rangeDown(clients, live.exercise);
            input.onTornDown?.();
            return result;
          },
        }
      : undefined;
  const server = createServer({
    store,
    session,
    plan: runner.plan,
    config: input.config,
    write: () => (events) => runner.record(events),
    control: runner,
    ...(input.webRoot ? { webRoot: input.webRoot } : {}),
    ...(live && clients && rangeHealth
      ? {
          // A team's `host.restore` goes through range health too: one restore or reconcile at a time.
          liveRange: { driver: live.driver, restore: (team, host) => rangeHealth.restore(team, host) },
          // The browser terminal: shells on the team's live hosts, through the engine's client layer.
          terminals: dockerTerminalBackend(clients, live.exercise, runner.plan),
        }
      : {}),
    ...(teardown ? { teardown } : {}),
    ...(rangeHealth ? { rangeHealth } : {}),
  });
  // Judges containment (and, on a live range, service availability) every second while the clock runs.
  const monitor = new ResponseMonitor({
    plan: runner.plan,
    session,
    epochMs: runner.epochMs,
    events: followLog(store, session),
    write: (events) => runner.record(events),
    scenarioNow: () => (runner.clock.status === 'running' ? Math.max(0, runner.scenarioNow()) : -1),
    ...(live ? { driver: live.driver } : {}),
    log: (m) => process.stderr.write(`cyrange serve: ${m}\n`),
  });
  let started: Awaited<ReturnType<ReturnType<typeof createServer>['listen']>>;
  try {
    started = await server.listen();
  } catch (e) {
    await runner.close();
    await live?.stop();
    await driver.close();
    store.close();
    throw new CliExit(
      EXIT.environment,
      `cannot listen on ${input.config.host}:${input.config.port}: ${(e as Error).message} — pick another --port`,
    );
  }
  notify = () => started.notify();
  tellPages = (fault) => started.storageFault(fault);
  monitor.start(1000);
  rangeHealth?.start();
  out(`serving session ${session} at ${started.url}`);
  if (live) out(`live range ${live.exercise}: acting on its containers, collecting their logs`);
  out(`controller   ${started.createJoinLink({ role: 'controller', label: 'controller' }).url}`);
  out(`evaluator    ${started.createJoinLink({ role: 'evaluator', label: 'evaluator' }).url}`);
  for (const t of runner.plan.teams) {
    out(`${t.id.padEnd(12)} ${started.createJoinLink({ role: 'team', team: t.id, label: t.id }).url}`);
  }
  out(`spectator    ${started.createJoinLink({ role: 'spectator', label: 'spectator' }).url}`);
  out(`console      ${started.url}/  (open a join link above to sign in)`);
  if (runner.clock.status === 'created' && input.start) runner.start(input.speed);
  out(
    runner.clock.status === 'created'
      ? 'the exercise clock waits for the controller (or run with --start)'
      : `the exercise clock is ${runner.clock.status}`,
  );
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  input.signal?.addEventListener('abort', onSignal, { once: true });
  if (input.signal?.aborted) abort.abort();
  if (!input.signal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    const until = runner.plan.scenario.duration;
    while (!abort.signal.aborted) {
      await runner.run({ untilScenario: until, maxWallMs: 3600_000, signal: abort.signal });
      if (!abort.signal.aborted && runner.clock.status !== 'stopped' && runner.scenarioNow() >= until) {
        // A database refusing writes must not end the process: say so, wait, and try again.
        const stopped = await runner.stop().then(
          () => true,
          (e: unknown) => {
            if (!storageFaultOf(e, store.path)) throw e;
            process.stderr.write(`cyrange serve: cannot end the exercise yet: ${(e as Error).message}\n`);
            return new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000));
          },
        );
        if (stopped) out('exercise ended; serving the final board until interrupted');
      }
      if (runner.clock.status === 'stopped' && !abort.signal.aborted) {
        await new Promise<void>((resolve) =>
          abort.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    input.signal?.removeEventListener('abort', onSignal);
    await monitor.stop();
    await rangeHealth?.stop();
    await started.stop();
    await live?.stop();
    await runner.close();
    await driver.close();
    store.close();
    out(`stopped serving; the session is resumable with --session ${session}`);
  }
}
