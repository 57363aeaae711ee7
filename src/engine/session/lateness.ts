import { isEvent, type StoredEvent } from '../events/event-types';

export interface LatenessSummary {
  firings: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (0 for an empty one). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Lateness (wall ms) of every scheduled, non-manual firing in a log. */
export function latenessSummary(events: readonly StoredEvent[]): LatenessSummary {
  const xs = events
    .filter((e) => isEvent(e, 'inject.fired') && !e.payload.manual)
    .map((e) => (isEvent(e, 'inject.fired') ? e.payload.latenessMs : 0))
    .sort((a, b) => a - b);
  return {
    firings: xs.length,
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    max: xs[xs.length - 1] ?? 0,
  };
}
