/**
 * A fixed-window counter per key (client address, connection), bounded in memory: windows are
 * dropped when they end, and at most `maxKeys` keys are tracked (beyond that, new keys are refused
 * rather than letting a flood grow the map).
 */
export interface RateDecision {
  allowed: boolean;
  /** Ms until the window resets (for `Retry-After`). */
  retryAfterMs: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): RateDecision {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.sweep(t);
      if (!w && this.windows.size >= this.maxKeys) return { allowed: false, retryAfterMs: this.windowMs };
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { allowed: w.count <= this.limit, retryAfterMs: w.start + this.windowMs - t };
  }

  private sweep(t: number): void {
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }
}
