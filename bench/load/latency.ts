/**
 * Scoreboard latency: from a team's scoring write leaving the browser to the board that shows
 * its effect arriving at every connected client. The board does not say which fact moved it, so
 * the change is found on the reference client's record: the first board version after the last
 * one seen before the write in which that team's total differs. Every client got that same
 * version (all audiences share version numbers), so its arrival there is the sample.
 */

import type { ScoringWrite } from './scripted-team';
import type { ClientRecord } from './socket-clients';

export interface LatencyResult {
  /** ms from the write's send to the board's arrival, every client × every attributed write. */
  fromSend: number[];
  /** ms from the write's acknowledgement to the board's arrival (negative: the push was first). */
  fromAck: number[];
  attributed: number;
  /** Writes whose board change was not found within `windowMs` on the reference client. */
  unattributed: ScoringWrite[];
  /** Attributed boards some client never received. */
  missing: number;
}

export function scoreboardLatency(
  writes: readonly ScoringWrite[],
  clients: readonly ClientRecord[],
  windowMs = 10_000,
): LatencyResult {
  const ref = clients.find((c) => c.totals && c.audience === 'staff');
  const out: LatencyResult = { fromSend: [], fromAck: [], attributed: 0, unattributed: [], missing: 0 };
  if (!ref?.totals) return { ...out, unattributed: [...writes] };
  const totals = ref.totals;
  const arrivals = clients.map((c) => new Map(c.boards));
  for (const w of writes) {
    let prev: number | undefined;
    for (const [v, at] of ref.boards) if (at < w.sentAt) prev = v;
    const before = prev === undefined ? undefined : totals[prev]?.[w.team];
    const hit = ref.boards.find(
      ([v, at]) =>
        (prev === undefined || v > prev) && at <= w.sentAt + windowMs && totals[v]?.[w.team] !== before,
    );
    if (!hit) {
      out.unattributed.push(w);
      continue;
    }
    out.attributed++;
    for (const a of arrivals) {
      const at = a.get(hit[0]);
      if (at === undefined) {
        out.missing++;
        continue;
      }
      out.fromSend.push(at - w.sentAt);
      out.fromAck.push(at - w.ackedAt);
    }
  }
  return out;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
