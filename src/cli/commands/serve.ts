import { Command } from 'commander';
import { SessionRunner } from '../../engine/session/session-runner';
import { clientsFor, connectEngine } from '../../range/docker/clients';
import { rangeRestorer } from '../../response/live-restore';
import { followLog } from '../../response/log-follower';
import { ResponseMonitor } from '../../response/response-monitor';
import { resolveServerConfig } from '../../server/config';
import { createServer } from '../../server/server';
import { dockerTerminalBackend } from '../../server/terminal/terminal-backend';
import { CliExit, EXIT } from '../exit-codes';
import { type ExerciseOptions, openExercise, withExerciseOptions } from '../open-exercise';
import { withScenarioOptions } from '../scenario-options';

export function serveCommand(): Command {
  return withScenarioOptions(
    withExerciseOptions(new Command('serve'))
      .description('run an exercise and serve its API and live scoreboard, printing join links')
      .argument('<file>', 'scenario YAML file')
      .option('--port <n>', 'TCP port (0 picks a free one; env CYRANGE_PORT; default 8080)')
      .option('--host <address>', 'address to listen on (env CYRANGE_HOST; default 127.0.0.1)')
      .option('--public-url <url>', 'base URL put in join links (env CYRANGE_PUBLIC_URL)')
      .option('--start', 'start the exercise clock at once (default: the controller starts it)'),
  ).action(async (file: string, opts) => {
    const resolved = resolveServerConfig({
      flags: { host: opts.host, port: opts.port, publicUrl: opts.publicUrl },
      env: process.env,
    });
    if (!resolved.ok) throw new CliExit(EXIT.usage, resolved.error);
    const { live, store, session, driver } = await openExercise(file, opts as ExerciseOptions);
    let notify = () => {};
    const runner = new SessionRunner({ store, session, driver, onEvent: () => notify() });
    live?.collectInto(runner, store.read(session));
    const server = createServer({
      store,
      session,
      plan: runner.plan,
      config: resolved.config,
      write: () => (events) => runner.record(events),
      control: runner,
      ...(live
        ? {
            liveRange: {
              driver: live.driver,
              restore: rangeRestorer(clientsFor(await connectEngine()), runner.plan, live.exercise),
            },
          }
        : {}),
      // The browser terminal: shells on the team's live hosts, through the engine's client layer.
      ...(live
        ? { terminals: dockerTerminalBackend(clientsFor(await connectEngine()), live.exercise, runner.plan) }
        : {}),
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
      store.close();
      throw new CliExit(
        EXIT.environment,
        `cannot listen on ${resolved.config.host}:${resolved.config.port}: ${(e as Error).message} — pick another --port`,
      );
    }
    notify = () => started.notify();
    monitor.start(1000);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    out(`serving session ${session} at ${started.url}`);
    if (live) out(`live range ${live.exercise}: acting on its containers, collecting their logs`);
    out(`controller   ${started.createJoinLink({ role: 'controller', label: 'controller' }).url}`);
    out(`evaluator    ${started.createJoinLink({ role: 'evaluator', label: 'evaluator' }).url}`);
    for (const t of runner.plan.teams) {
      out(`${t.id.padEnd(12)} ${started.createJoinLink({ role: 'team', team: t.id, label: t.id }).url}`);
    }
    out(`spectator    ${started.createJoinLink({ role: 'spectator', label: 'spectator' }).url}`);
    out(`console      ${started.url}/  (open a join link above to sign in)`);
    if (runner.clock.status === 'created' && opts.start) runner.start(opts.speed as number | undefined);
    out(
      runner.clock.status === 'created'
        ? 'the exercise clock waits for the controller (or run with --start)'
        : `the exercise clock is ${runner.clock.status}`,
    );
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const until = runner.plan.scenario.duration;
      while (!abort.signal.aborted) {
        await runner.run({ untilScenario: until, maxWallMs: 3600_000, signal: abort.signal });
        if (!abort.signal.aborted && runner.clock.status !== 'stopped' && runner.scenarioNow() >= until) {
          await runner.stop();
          out('exercise ended; serving the final board until interrupted');
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
      await monitor.stop();
      await started.stop();
      await live?.stop();
      await runner.close();
      await driver.close();
      store.close();
      out('stopped serving; the session is resumable with --session ' + session);
    }
  });
}
