/**
 * What `run` and `serve` share before their loops: the plan, the live range (with `--live`), the
 * event database, the session (created when new, resumed otherwise) and the driver that acts on
 * live hosts. Order matters: a missing engine or range is reported before the database is opened,
 * so a failed start never leaves a half-created session behind.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Plan } from '../compiler/plan';
import { scenarioEpochMs } from '../engine/clock/scenario-epoch';
import type { LiveHostDriver } from '../engine/live/live-host-driver';
import { SandboxHostDriver } from '../engine/live/sandbox-host-driver';
import { SessionRunner } from '../engine/session/session-runner';
import type { EventStore } from '../engine/store/event-store';
import { type LiveRange, openLiveRange } from '../range/driver/live-range';
import type { ParamValue } from '../scenario/parameters';
import { loadPlan } from './load-plan';
import { openWritableStore } from './open-store';
import { parseSpeed } from './parse-speed';
import { rangeExit } from './range-exit';
import { parseExerciseId } from './range-options';
import { scenarioOptionsOf } from './scenario-options';

/** The options `run` and `serve` share: where the session lives, its speed, and what acts on live hosts. */
export function withExerciseOptions(command: Command): Command {
  return command
    .option('--db <path>', 'event database (SQLite)', 'cyrange.db')
    .option('--session <id>', 'session id; an existing one is resumed')
    .option('--speed <x>', 'scenario seconds per wall second (default: the scenario compression)', parseSpeed)
    .option('--sandbox <dir>', 'directory standing in for live hosts (default: next to the database)')
    .option('--live', 'act on the live range `cyrange up FILE` brought up, and collect its real logs')
    .option(
      '--exercise <id>',
      'with --live: the exercise id given to `cyrange up` (default: the scenario id)',
      parseExerciseId,
    );
}

export interface ExerciseOptions {
  db: string;
  set?: Record<string, ParamValue>;
  teams?: number;
  session?: string;
  speed?: number;
  sandbox?: string;
  live?: boolean;
  exercise?: string;
}

export interface OpenExercise {
  plan: Plan;
  live: LiveRange | undefined;
  store: EventStore;
  session: string;
  /** True when the session already existed in the database (this start resumes it). */
  resuming: boolean;
  driver: LiveHostDriver;
}

export async function openExercise(file: string, opts: ExerciseOptions): Promise<OpenExercise> {
  const plan = loadPlan(file, {
    ...scenarioOptionsOf(opts),
    ...(opts.live ? {} : { fidelity: 'simulated' as const }),
  });
  const live = opts.live ? await rangeExit(() => openLiveRange(plan, opts.exercise)) : undefined;
  let store: EventStore;
  try {
    store = openWritableStore(opts.db);
  } catch (e) {
    await live?.driver.close();
    throw e;
  }
  const session =
    opts.session ?? `${plan.scenario.id}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  const resuming = store.sessionPlan(session) !== undefined;
  if (!resuming) {
    SessionRunner.create(store, {
      id: session,
      plan,
      scenarioEpochMs: scenarioEpochMs(plan.scenario.timezone, plan.scenario.start, Date.now()),
      ...(opts.speed ? { compression: opts.speed } : {}),
    });
  }
  const driver: LiveHostDriver =
    live?.driver ?? new SandboxHostDriver(opts.sandbox ?? join(`${opts.db}.sandbox`, session));
  return { plan, live, store, session, resuming, driver };
}
