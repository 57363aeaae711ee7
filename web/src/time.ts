/** Times as people in the exercise read them: scenario clock times and dates in the scenario's zone. */
import { bootData } from './boot';
import { lang } from './i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** Scenario seconds → the scenario's wall clock (`10:03:20`), T+0 being the scenario's start. */
export function scenarioClock(seconds: number): string {
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
