/** What the web console's shell tells every page about the exercise before any login. */
export interface ConsoleBoot {
  session: string;
  title: string;
  /** The scenario's own language: the console's default until the user picks another. */
  language: 'ja' | 'en';
  /** IANA time zone in which every date is shown. */
  timezone: string;
  /** Scenario clock time of T+0, seconds after midnight (10:00 → 36000). */
  start: number;
  /** Exercise length in scenario seconds. */
  duration: number;
  /** Unix ms of T+0 on the scenario's calendar: scenario second s is the instant epochMs + s·1000. */
  epochMs?: number;
  /** The exercise clock when the page was served. */
  clock?: ConsoleClock;
}

/** The exercise clock as the server saw it, with the server's own wall ms for the browser's skew. */
export interface ConsoleClock {
  status: 'created' | 'running' | 'paused' | 'stopped';
  /** Wall ms where the current running segment starts. */
  anchorWall: number;
  /** Scenario seconds at `anchorWall`. */
  anchorScenario: number;
  /** Scenario seconds per wall second. */
  compression: number;
  /** The server's wall ms when it wrote this. */
  serverNow: number;
}
