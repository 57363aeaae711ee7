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
}
