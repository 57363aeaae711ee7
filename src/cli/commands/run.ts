import { Command, InvalidArgumentError } from 'commander';
import { formatDuration, parseDuration } from '../../common/duration';
import { isEvent, type StoredEvent } from '../../engine/events/event-types';
import { latenessSummary } from '../../engine/session/lateness';
import { SessionRunner } from '../../engine/session/session-runner';
import { storageFaultReporter } from '../../engine/store/storage-fault';
import { CliExit, EXIT } from '../exit-codes';
import { type ExerciseOptions, openExercise, withExerciseOptions } from '../open-exercise';
import { withScenarioOptions } from '../scenario-options';

function parseSeconds(text: string): number {
  const n = parseDuration(text);
  if (n === undefined || n <= 0) throw new InvalidArgumentError('give a duration such as 90s, 10m or 2h30m');
  return n;
}

export function runCommand(): Command {
  return withScenarioOptions(
    withExerciseOptions(new Command('run'))
      .description('run or resume an exercise on its simulated part, printing injects as they fire')
      .argument('<file>', 'scenario YAML file')
      .option(
        '--until <duration>',
        'stop at this scenario time (default: the scenario duration)',
        parseSeconds,
      )
      .option(
        '--for <duration>',
        'stop the process after this much wall time, leaving the session resumable',
        parseSeconds,
      )
      .option('--json', 'print events as JSON lines'),
  ).action(async (file: string, opts) => {
    const { plan, live, store, session, resuming, driver } = await openExercise(
      file,
      opts as ExerciseOptions,
    );
    const print = (e: StoredEvent) => {
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(e)}\n`);
        return;
      }
      const at = `T+${formatDuration(Math.floor(e.scenarioTime)).padEnd(8)}`;
      if (isEvent(e, 'inject.fired')) {
        process.stdout.write(
          `${at} ${String(e.team).padEnd(6)} fired    ${e.payload.inject}/${e.payload.occurrence} (${e.payload.latenessMs.toFixed(0)} ms late)\n`,
        );
      } else if (isEvent(e, 'inject.skipped')) {
        process.stdout.write(
          `${at} ${String(e.team).padEnd(6)} skipped  ${e.payload.inject}/${e.payload.occurrence} (${e.payload.reason}: ${e.payload.detail})\n`,
        );
      } else if (isEvent(e, 'inject.failed')) {
        process.stdout.write(
          `${at} ${String(e.team).padEnd(6)} FAILED   ${e.payload.inject}/${e.payload.occurrence}: ${e.payload.detail}\n`,
        );
      } else if (e.type.startsWith('clock.')) {
        process.stdout.write(`${at} clock ${e.type.slice(6)}\n`);
      }
    };
    let runner: SessionRunner;
    try {
      runner = new SessionRunner({
        store,
        session,
        driver,
        onEvent: print,
        onStorageFault: storageFaultReporter('cyrange run'),
      });
    } catch (e) {
      store.close();
      await driver.close();
      // Another process runs this session (or the log is damaged): say so, no stack trace.
      throw new CliExit(EXIT.environment, `cyrange run: ${(e as Error).message}`);
    }
    if (live) {
      live.collectInto(runner, store.read(session));
      process.stdout.write(`live range ${live.exercise}: acting on its containers, collecting their logs\n`);
    }
    const until: number = opts.until ?? plan.scenario.duration;
    process.stdout.write(
      `${resuming ? 'resuming' : 'created'} session ${session} in ${opts.db}: ${runner.plan.teams.length} teams, ${runner.plan.injects.length} injects, at T+${formatDuration(Math.floor(runner.scenarioNow()))}\n`,
    );
    if (runner.clock.status === 'created') runner.start(opts.speed as number | undefined);
    else if (runner.clock.status === 'paused') runner.resume();
    if (opts.speed && runner.clock.status === 'running' && runner.clock.compression !== opts.speed)
      runner.setSpeed(opts.speed as number);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const compression = Math.max(runner.clock.compression, 1e-3);
      const wallNeeded = ((until - runner.scenarioNow()) / compression) * 1000 + 60_000;
      const maxWallMs = opts.for ? (opts.for as number) * 1000 : Math.max(1000, wallNeeded);
      await runner.run({ untilScenario: until, maxWallMs, signal: abort.signal });
      if (runner.clock.status !== 'stopped' && runner.scenarioNow() >= until) await runner.stop();
      await live?.stop();
      await runner.close();
      const s = latenessSummary(store.read(session));
      process.stdout.write(
        `${runner.clock.status === 'stopped' ? 'exercise ended' : `stopped watching (the exercise clock runs on) — run again with --session ${session} to resume`}: ` +
          `${s.firings} firings, lateness p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms\n`,
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await live?.stop();
      await driver.close();
      store.close();
    }
  });
}
