/** Where wall-clock time comes from; tests pass a fake so scheduling is deterministic. */
export interface TimeSource {
  /** Unix ms. */
  now(): number;
}

export const systemTime: TimeSource = { now: () => Date.now() };

/** A hand-driven clock for tests. */
export class FakeTime implements TimeSource {
  constructor(private ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}
