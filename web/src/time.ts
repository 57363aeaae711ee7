/**
 * Times as people in the exercise read them: scenario clock times and dates in the scenario's zone.
 * The page shell carries the session's epoch (the instant of T+0) and the clock as served, so a
 * scenario second maps to one exact instant, shown in the scenario's time zone (daylight saving
 * and date changes included), and the page can tell the scenario time now without asking.
 */
import { zonedParts } from '../../src/common/zoned-parts';
import type { ConsoleClock } from '../../src/wire/console';
import { bootData } from './boot';
import { lang } from './i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** The clock as the shell stated it, with the browser clock's offset from the server's. */
let clock: { state: ConsoleClock; skewMs: number } | undefined;

function currentClock(): { state: ConsoleClock; skewMs: number } | undefined {
  if (clock) return clock;
  const state = bootData().clock;
  if (!state) return undefined;
  // The browser's clock may differ from the server's: compare when the shell's first byte arrived
  // (the server wrote `serverNow` just before) with the server's time in it.
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const arrived = nav ? performance.timeOrigin + nav.responseStart : Date.now();
  clock = { state, skewMs: arrived - state.serverNow };
  return clock;
}

/**
 * Scenario seconds now, estimated from the clock the shell carried (exact until the controller
 * pauses or changes speed after the page loaded); undefined when the shell had no clock.
 */
export function scenarioNow(): number | undefined {
  const c = currentClock();
  if (!c) return undefined;
  const { state } = c;
  if (state.status !== 'running') return Math.max(0, state.anchorScenario);
  const wall = Date.now() - c.skewMs;
  return Math.max(0, state.anchorScenario + ((wall - state.anchorWall) / 1000) * state.compression);
}

/** The instant (Unix ms) of scenario second `seconds`, when the session's epoch is known. */
export function scenarioInstant(seconds: number): number | undefined {
  const epoch = bootData().epochMs;
  return epoch === undefined ? undefined : epoch + seconds * 1000;
}

/** Parts of `ms` in the scenario's time zone, or undefined when the zone is unknown here. */
export function zoned(ms: number): Record<string, string> | undefined {
  return zonedParts(bootData().timezone, ms);
}

/** Scenario seconds → the scenario's wall clock (`10:03:20`), T+0 being the scenario's start. */
export function scenarioClock(seconds: number): string {
  const at = scenarioInstant(seconds);
  const p = at === undefined ? undefined : zoned(at);
  if (p) return `${p.hour}:${p.minute}:${p.second}`;
  const t = Math.floor(bootData().start + seconds);
  const day = ((t % 86400) + 86400) % 86400;
  return `${pad(Math.floor(day / 3600))}:${pad(Math.floor((day % 3600) / 60))}:${pad(day % 60)}`;
}

/** Short clock without seconds, for chart axes. */
export function scenarioClockShort(seconds: number): string {
  return scenarioClock(seconds).slice(0, 5);
}

/** A duration in seconds as `4m 10s` / `4分10秒`. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  const r = s % 60;
  if (lang() === 'ja') return m > 0 ? `${m}分${r}秒` : `${r}秒`;
  return m > 0 ? `${m}m ${r}s` : `${r}s`;
}

/** Wall-clock ms → a date and time in the scenario's time zone, in the chosen language. */
export function wallTime(ms: number): string {
  const tz = bootData().timezone;
  try {
    return new Intl.DateTimeFormat(lang() === 'ja' ? 'ja-JP' : 'en-GB', {
      timeZone: tz,
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}
