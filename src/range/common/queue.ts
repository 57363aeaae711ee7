/**
 * Bounded concurrency: the engine serialises much of create/start, so hundreds of parallel calls only
 * queue inside the daemon and time out. Runs `work` over `items` with at most `limit` in flight and
 * returns settled results in input order (one failure never aborts the others).
 */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error };

export async function mapBounded<I, T>(
  items: readonly I[],
  limit: number,
  work: (item: I, index: number) => Promise<T>,
): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { ok: true, value: await work(items[index] as I, index) };
      } catch (error) {
        results[index] = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
