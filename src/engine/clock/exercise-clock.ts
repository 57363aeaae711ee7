/**
 * The exercise clock as pure data. It is a piecewise-linear map from wall time to scenario time:
 * each start/resume/speed change opens a segment anchored at (wall, scenario) with a compression
 * factor. The state is rebuilt from the clock events, so a restarted orchestrator computes the
 * same scenario time it would have had without the crash (the clock keeps running while the
 * process is down, as the exercise does in the room).
 */

export type ClockStatus = 'created' | 'running' | 'paused' | 'stopped';

export interface ClockState {
  status: ClockStatus;
  /** Wall ms where the current segment starts. */
  anchorWall: number;
  /** Scenario seconds at `anchorWall`. */
  anchorScenario: number;
  /** Scenario seconds per wall second. */
  compression: number;
}

export function initialClock(compression: number): ClockState {
  return { status: 'created', anchorWall: 0, anchorScenario: 0, compression };
}

/** Scenario seconds at wall ms `wall`. Frozen when not running. */
export function scenarioAt(clock: ClockState, wall: number): number {
  if (clock.status !== 'running') return clock.anchorScenario;
  return clock.anchorScenario + ((wall - clock.anchorWall) / 1000) * clock.compression;
}

/**
 * Wall ms at which scenario second `t` is (or was) reached in the current segment; undefined
 * when the clock is not running (a paused clock reaches nothing).
 */
export function wallAt(clock: ClockState, t: number): number | undefined {
  if (clock.status !== 'running') return undefined;
  return clock.anchorWall + ((t - clock.anchorScenario) / clock.compression) * 1000;
}

export function startClock(clock: ClockState, wall: number, compression = clock.compression): ClockState {
  if (clock.status !== 'created') throw new Error(`clock is ${clock.status} — only a new clock can start`);
  return { status: 'running', anchorWall: wall, anchorScenario: 0, compression };
}

export function pauseClock(clock: ClockState, wall: number): ClockState {
  if (clock.status !== 'running')
    throw new Error(`clock is ${clock.status} — only a running clock can pause`);
  return { ...clock, status: 'paused', anchorWall: wall, anchorScenario: scenarioAt(clock, wall) };
}

export function resumeClock(clock: ClockState, wall: number): ClockState {
  if (clock.status !== 'paused') throw new Error(`clock is ${clock.status} — only a paused clock can resume`);
  return { ...clock, status: 'running', anchorWall: wall };
}

export function changeSpeed(clock: ClockState, wall: number, compression: number): ClockState {
  if (!(compression > 0) || !Number.isFinite(compression)) {
    throw new Error(
      `compression ${compression} — give a positive number of scenario seconds per wall second`,
    );
  }
  if (clock.status === 'stopped') throw new Error('clock is stopped — it cannot change speed');
  return { ...clock, anchorWall: wall, anchorScenario: scenarioAt(clock, wall), compression };
}

export function stopClock(clock: ClockState, wall: number): ClockState {
  if (clock.status === 'stopped' || clock.status === 'created') {
    throw new Error(`clock is ${clock.status} — only a started clock can stop`);
  }
  return { ...clock, status: 'stopped', anchorWall: wall, anchorScenario: scenarioAt(clock, wall) };
}
