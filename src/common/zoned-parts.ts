/**
 * The calendar parts (year, month, day, hour, minute, second; two digits, 24-hour clock) of `ms` in
 * `timeZone`, or undefined when the runtime does not know the zone. Shared by the server (where
 * scenario T+0 sits on the calendar) and the web console (times shown in the scenario's zone).
 */
export function zonedParts(timeZone: string, ms: number): Record<string, string> | undefined {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(ms));
    return Object.fromEntries(parts.map((p) => [p.type, p.value]));
  } catch {
    return undefined;
  }
}
