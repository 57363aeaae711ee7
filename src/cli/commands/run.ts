/**
 * `cyrange run FILE [--db PATH] [--session ID] [--speed X] [--until T] [--for S]`: runs (or resumes)
 * an exercise on its simulated part, printing every inject as it fires with its lateness. Live-host
 * actions go to a local sandbox directory (`--sandbox`), not to containers — or, with `--live`, to
 * the containers `cyrange up FILE` started (same `--exercise` and `--teams`), whose real logs are
 * then collected into the teams' telemetry. Interrupt with Ctrl-C and run again with the same
 * `--session` to resume: nothing fires twice, the clock ran on.
 */
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { formatDuration, parseDuration } from '../../common/duration';
import { scenarioEpochMs } from '../../engine/clock/scenario-epoch';
import { isEvent, type StoredEvent } from '../../engine/events/event-types';
import type { LiveHostDriver } from '../../engine/live/live-host-driver';
import { SandboxHostDriver } from '../../engine/live/sandbox-host-driver';
import { latenessSummary } from '../../engine/session/lateness';
import { SessionRunner } from '../../engine/session/session-runner';
import { EventStore } from '../../engine/store/event-store';
import { type LiveRange, openLiveRange } from '../../range/driver/live-range';
import { CliExit, EXIT } from '../exit-codes';
import { loadPlan } from '../load-plan';
import { parseSpeed } from '../parse-speed';
import { rangeExit } from '../range-exit';
import { parseExerciseId } from '../range-options';
import { scenarioOptionsOf, withScenarioOptions } from '../scenario-options';

function parseSeconds(text: string): number {
  const n = parseDuration(text);
  if (n === undefined || n <= 0) throw new InvalidArgumentError('give a duration such as 90s, 10m or 2h30m');
  return n;
}

export function runCommand(): Command {
  return withScenarioOptions(
    new Command('run')
      .description('run or resume an exercise on its simulated part, printing injects as they fire')
      .argument('<file>', 'scenario YAML file')
      .option('--db <path>', 'event database (SQLite)', 'cyrange.db')
      .option('--session <id>', 'session id; an existing one is resumed')
      .option(
        '--speed <x>',
        'scenario seconds per wall second (default: the scenario compression)',
        parseSpeed,
      )
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
      .option('--sandbox <dir>', 'directory standing in for live hosts (default: next to the database)')
      .option('--live', 'act on the live range `cyrange up FILE` brought up, and collect its real logs')
      .option(
        '--exercise <id>',
        'with --live: the exercise id given to `cyrange up` (default: the scenario id)',
        parseExerciseId,
      )
      .option('--json', 'print events as JSON lines'),
  ).action(async (file: string, opts) => {
    const plan = loadPlan(file, {
      ...scenarioOptionsOf(opts),
      ...(opts.live ? {} : { fidelity: 'simulated' as const }),
    });
    // Before the database: a missing engine or range must not leave a half-created session behind.
    const live: LiveRange | undefined = opts.live
      ? await rangeExit(() => openLiveRange(plan, opts.exercise as string | undefined))
      : undefined;
    let store: EventStore;
    try {
      store = new EventStore(opts.db as string);
    } catch (e) {
      await live?.driver.close();
      throw new CliExit(
        EXIT.environment,
        `${opts.db}: cannot open the event database: ${(e as Error).message} — check the path`,
      );
    }
    const session: string =
      opts.session ?? `${plan.scenario.id}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
    const resuming = store.sessionPlan(session) !== undefined;
    if (!resuming) {
      SessionRunner.create(store, {
        id: session,
        plan,
        scenarioEpochMs: scenarioEpochMs(plan.scenario.timezone, plan.scenario.start, Date.now()),
        ...(opts.speed ? { compression: opts.speed as number } : {}),
      });
    }
    const driver: LiveHostDriver =
      live?.driver ??
      new SandboxHostDriver((opts.sandbox as string | undefined) ?? join(`${opts.db}.sandbox`, session));
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
      runner = new SessionRunner({ store, session, driver, onEvent: print });
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
