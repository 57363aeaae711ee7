/**
 * Teardown from labels races with whatever still creates under those labels: an `up` killed a
 * moment ago may have creations in flight in the engine that land after the first listing, and a
 * concurrent `up` may add more. So a teardown looks again after a short settle, until a pass finds
 * nothing (bounded). Shared by the container and the Swarm backends' `down`.
 */

/** Passes over the labels at the most; each after the first only finds what landed late. */
export const MAX_PASSES = 4;
/** How long a pass waits for engine requests still in flight before it looks again, ms. */
export const SETTLE_MS = 300;

/** Runs `pass` (which returns how much it found) until a pass after the first finds nothing. */
export async function passesUntilSettled(pass: () => Promise<number>): Promise<void> {
  for (let i = 0; i < MAX_PASSES; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, SETTLE_MS));
    const found = await pass();
    if (i > 0 && found === 0) return;
  }
}
