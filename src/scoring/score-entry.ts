/**
 * One line of a team's breakdown: every point a team has comes from exactly one entry, and the
 * entries of a team always sum to its total. Entries are never edited; a regrade or an override
 * adds an entry with the difference.
 */

export type EntryKind =
  | 'expectation'
  | 'manual-grade'
  | 'override'
  | 'adjustment'
  | 'false-positive'
  | 'hint'
  | 'destructive'
  | 'outage';

export interface ScoreEntry {
  /** Sequence number of the event that caused it (several entries may share one). */
  seq: number;
  /** Scenario seconds of that event. */
  at: number;
  kind: EntryKind;
  /** Signed points: credit is positive, penalties negative. */
  points: number;
  expectation?: string;
  inject?: string;
  /** Who caused it: the team member, grader or controller named by the event, or `scoring`. */
  by: string;
  /** Why, in words a team understands. */
  reason: string;
}

export function sumEntries(entries: readonly ScoreEntry[]): number {
  let total = 0;
  for (const e of entries) total += e.points;
  return total;
}

/** Scenario seconds of the last entry that changed the score, or null when none did. */
export function lastChangeAt(entries: readonly ScoreEntry[]): number | null {
  let at: number | null = null;
  for (const e of entries) if (e.points !== 0 && (at === null || e.at > at)) at = e.at;
  return at;
}

/** `T+1h05m`-style offset for reasons and reports. */
export function offsetText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return `${h}h${String(m).padStart(2, '0')}m${rest ? `${String(rest).padStart(2, '0')}s` : ''}`;
}
