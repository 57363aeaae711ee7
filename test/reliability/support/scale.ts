/**
 * How hard the reliability, security and load suites push. CI runs the reduced suite (the default);
 * `bash infra/reliability.sh` sets CYRANGE_FULL=1 and runs every repetition the full suite promises.
 * Every loop in these suites is bounded by a count from here and by a wall-clock deadline.
 */
export const FULL = process.env.CYRANGE_FULL === '1';

/** The repetition count: `reduced` in CI, `full` in the full suite. */
export function repeats(reduced: number, full: number): number {
  return FULL ? full : reduced;
}

/** A jest timeout (ms) for a test that runs `count` rounds of about `perRoundMs` each, plus slack. */
export function budgetMs(count: number, perRoundMs: number, slackMs = 30_000): number {
  return count * perRoundMs + slackMs;
}
