/**
 * Where scenario T+0 sits on the calendar: the scenario's start time of day (e.g. 10:00) in its
 * time zone, on the day the session is created. ECS `@timestamp`s of simulated records are
 * `epoch + scenario seconds`, so trainees see the office hours the story is told in.
 */
import { zonedParts } from '../../common/zoned-parts';

const DAY_MS = 86_400_000;

/** Offset of `timeZone` from UTC at `atMs`, in ms (Asia/Tokyo → +9 h). */
export function timeZoneOffsetMs(timeZone: string, atMs: number): number {
  const parts = zonedParts(timeZone, atMs);
  if (!parts) return 0;
  const get = (t: string) => Number(parts[t] ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** Unix ms of T+0: `startOfDay` seconds after local midnight of the day containing `createdMs`. */
export function scenarioEpochMs(timeZone: string, startOfDay: number, createdMs: number): number {
  const off = timeZoneOffsetMs(timeZone, createdMs);
  const midnightLocal = Math.floor((createdMs + off) / DAY_MS) * DAY_MS;
  return midnightLocal - off + startOfDay * 1000;
}
