import { CronExpressionParser } from 'cron-parser';

/**
 * Cron triggers run on the *scenario* calendar, not the wall clock: an exercise compressed ×6 or
 * paused must fire "every 5 minutes" every 5 scenario minutes. node-cron schedules real timers on
 * wall time and cannot follow a compressed or paused clock, so we use cron-parser only to expand
 * the expression into scenario offsets between `from` and `until`, once, when the session loads.
 */

/** Upper bound on occurrences of one cron trigger; a `* * * * * *` over days is a mistake. */
export const MAX_CRON_OCCURRENCES = 100_000;

export function cronOccurrences(
  expression: string,
  opts: { from: number; until: number; epochMs: number; timezone: string },
): number[] {
  const { from, until, epochMs, timezone } = opts;
  const it = CronExpressionParser.parse(expression, {
    // Strictly after from−1ms so an occurrence exactly at `from` is included.
    currentDate: new Date(epochMs + from * 1000 - 1),
    endDate: new Date(epochMs + until * 1000),
    tz: timezone,
  });
  const out: number[] = [];
  while (it.hasNext()) {
    const t = (it.next().getTime() - epochMs) / 1000;
    if (t > until) break;
    out.push(t);
    if (out.length > MAX_CRON_OCCURRENCES) {
      throw new Error(
        `cron "${expression}" yields more than ${MAX_CRON_OCCURRENCES} occurrences between T+${from}s and T+${until}s — use a coarser schedule`,
      );
    }
  }
  return out;
}
