/**
 * The two sizes of the load day. Full (`npm run bench:load`): issue 7's day — 10 teams, the
 * flagship scenario compressed into at most 30 minutes, 500 socket clients. Reduced (the CI
 * test): the same day at a speed that fits it into about 75 s, with 100 clients and bounds
 * generous enough for a shared CI machine. The speed is computed from the plan's duration.
 */
import { join } from 'node:path';
import { serverCode } from './serve-process';

export interface DayOptions {
  scenario: string;
  teams: number;
  /** Socket.io clients held open all day (team members, spectators, white cell). */
  sockets: number;
  /** Wall seconds the scenario's day should take; the speed is duration / this. */
  dayWallSeconds: number;
  /** Child processes the socket clients are spread over. */
  clientProcesses: number;
  /** The day must end within 1.5 × its planned wall time plus this; then the run fails. */
  deadlineSlackSeconds: number;
  /** How often each scripted team looks at its console, wall ms. */
  tickMs: number;
  /** Memory and event-loop samples, wall ms. */
  sampleMs: number;
  /** The first share of the day is warm-up; growth is measured after it. */
  warmupShare: number;
  /** Limits: RSS growth after warm-up (ratio), scoreboard p99 (ms). */
  rssGrowthLimit: number;
  latencyP99LimitMs: number;
  log: (line: string) => void;
}

/** The sources' or the build's root, whichever this file runs from. */
export const ROOT = join(__dirname, __filename.endsWith('.ts') ? '../..' : '../../..');
export const FLAGSHIP = join(ROOT, 'scenarios/agency-apt.yaml');

export function fullDay(log: (line: string) => void): DayOptions {
  return {
    scenario: FLAGSHIP,
    teams: 10,
    sockets: 500,
    dayWallSeconds: 27 * 60,
    clientProcesses: 4,
    deadlineSlackSeconds: 300,
    tickMs: 3000,
    sampleMs: 5000,
    warmupShare: 0.25,
    rssGrowthLimit: 0.1,
    latencyP99LimitMs: 1000,
    log,
  };
}

export function reducedDay(log: (line: string) => void): DayOptions {
  return {
    scenario: FLAGSHIP,
    teams: 10,
    sockets: 100,
    dayWallSeconds: 75,
    clientProcesses: 2,
    // Ends (and cleans up) before the test's own timeout.
    deadlineSlackSeconds: 20,
    tickMs: 700,
    sampleMs: 1000,
    warmupShare: 0.25,
    // A 75-second day is mostly warm-up (JIT, caches, first searches): only gross growth fails it.
    rssGrowthLimit: 0.5,
    // From the sources, searches and alert evaluation share the server's event loop (stalls of up
    // to 2 s measured at ×240 on a loaded machine); the 1 s target holds for the build.
    latencyP99LimitMs: serverCode() === 'build' ? 1000 : 10_000,
    log,
  };
}

/** How the sockets are spread: team members, spectators on the board, the white cell. */
export function socketMix(sockets: number, teams: number) {
  const perTeam = Math.max(1, Math.floor((sockets * 0.6) / teams));
  const staff = Math.max(2, Math.round(sockets * 0.06));
  const spectators = Math.max(1, sockets - perTeam * teams - staff);
  return { perTeam, spectators, controllers: Math.ceil(staff / 3), evaluators: staff - Math.ceil(staff / 3) };
}
