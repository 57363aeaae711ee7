import type { Plan } from '../../compiler/plan';
import { type ClockState, scenarioAt } from '../../engine/clock/exercise-clock';
import type { StoredEvent } from '../../engine/events/event-types';
import type { SessionRunner } from '../../engine/session/session-runner';
import { clientsFor, connectEngine } from '../docker/clients';
import { exerciseIdOf } from '../lifecycle/range-up';
import { DockerHostDriver } from './docker-host-driver';
import { type CollectorOptions, collectedKeys, LiveLogCollector } from './live-log-collector';

/** What `cyrange run --live` needs from the range: the driver, then a collector feeding the runner. */
export interface LiveRange {
  exercise: string;
  driver: DockerHostDriver;
  /** Starts collecting the live hosts' logs into the runner's session, resuming after `events`. */
  collectInto(
    runner: SessionRunner,
    events: Iterable<StoredEvent>,
    options?: CollectorOptions,
  ): LiveLogCollector;
  /** Stops the collector after a last poll (so lines written at the end are stored); safe twice. */
  stop(): Promise<void>;
}

/**
 * Connects to the engine and to the range `cyrange up` brought up for this plan (`exercise`
 * defaults to the scenario id, as for `up`). Fails with a `RangeFailure` carrying the fix when the
 * engine or any live host is missing.
 */
export async function openLiveRange(plan: Plan, exercise?: string): Promise<LiveRange> {
  const id = exerciseIdOf(plan, exercise);
  const clients = clientsFor(await connectEngine());
  const driver = await DockerHostDriver.connect(clients, id, plan);
  let collector: LiveLogCollector | undefined;
  return {
    exercise: id,
    driver,
    collectInto(runner, events, options = {}) {
      collector = new LiveLogCollector(clients, driver.hosts, runner, {
        resumeKeys: collectedKeys(events),
        timeOf: (wall) => scenarioMsOf(runner.epochMs, runner.clock, wall),
        ...options,
      });
      collector.start();
      return collector;
    },
    async stop() {
      const c = collector;
      collector = undefined;
      if (!c) return;
      await c.stop({ finalPoll: true }).catch(() => undefined);
    },
  };
}

/**
 * Unix ms in scenario time of a log line written at wall ms `wall`. While the clock runs this is
 * the clock's own mapping; once paused or stopped, lines written before the pause are placed back
 * along the last running segment (the clock itself is frozen there), later ones at the pause.
 */
export function scenarioMsOf(epochMs: number, clock: ClockState, wall: number): number {
  const t =
    clock.status === 'running' || clock.anchorWall === 0
      ? scenarioAt(clock, wall)
      : clock.anchorScenario + (Math.min(0, wall - clock.anchorWall) / 1000) * clock.compression;
  return epochMs + t * 1000;
}
