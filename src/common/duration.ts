/**
 * Durations and scenario times as people write them in scenario files.
 * Durations: `90s`, `30m`, `2h`, `1h30m`, `1d`, or a number of seconds.
 * Offsets from the exercise start: `+1h30m` (or `T+1h30m`). Clock times: `13:30` or `13:30:15`.
 */
const UNIT_SECONDS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export const DURATION_PATTERN = '^(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$';
export const OFFSET_PATTERN = '^(T?\\+)(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$';
export const CLOCK_PATTERN = '^([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$';

/** Seconds in a duration, or undefined when the text is not one. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = DURATION.exec(value.trim());
  if (!m || value.trim() === '') return undefined;
  const [, d, h, min, s] = m;
  return (
    Number(d ?? 0) * UNIT_SECONDS.d! +
    Number(h ?? 0) * UNIT_SECONDS.h! +
    Number(min ?? 0) * UNIT_SECONDS.m! +
    Number(s ?? 0)
  );
}

/** `+1h30m` / `T+1h30m` → 5400. */
export function parseOffset(value: string): number | undefined {
  const m = /^T?\+(.*)$/.exec(value.trim());
  return m ? parseDuration(m[1]!) : undefined;
}

/** `13:30` → seconds after midnight. */
export function parseClock(value: string): number | undefined {
  if (!new RegExp(CLOCK_PATTERN).test(value.trim())) return undefined;
  const [h, m, s] = value.trim().split(':').map(Number);
  return h! * 3600 + m! * 60 + (s ?? 0);
}

/** 5400 → `1h30m`; 0 → `0s`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let rest = Math.round(seconds);
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** Seconds after midnight → `HH:MM` (or `HH:MM:SS` when seconds are not zero). */
export function formatClock(secondsOfDay: number): string {
  const t = ((Math.round(secondsOfDay) % 86400) + 86400) % 86400;
  const two = (n: number) => String(n).padStart(2, '0');
  const base = `${two(Math.floor(t / 3600))}:${two(Math.floor((t % 3600) / 60))}`;
  return t % 60 === 0 ? base : `${base}:${two(t % 60)}`;
}
