/**
 * How much of an expectation's points are still earned `elapsed` seconds after its attack step.
 *
 *   0 ≤ elapsed ≤ window      → 1 (full points)
 *   window < elapsed ≤ expiry → linear: from 1 down to `floor` at expiry; step: `floor`; none: 1
 *   elapsed > expiry          → 0 (expired: nothing, the expectation fails)
 *
 * A fact before the attack step (elapsed < 0) earns nothing: nothing had happened to detect.
 */
import type { ScoringPlan } from '../compiler/plan';

export interface DecayWindow {
  window: number;
  expiry: number;
}

export function decayFactor(elapsed: number, w: DecayWindow, decay: ScoringPlan['decay']): number {
  if (!Number.isFinite(elapsed) || elapsed < 0 || elapsed > w.expiry) return 0;
  if (elapsed <= w.window) return 1;
  const floor = Math.min(1, Math.max(0, decay.floor));
  switch (decay.shape) {
    case 'none':
      return 1;
    case 'step':
      return floor;
    case 'linear': {
      const span = w.expiry - w.window;
      return span <= 0 ? floor : 1 - ((1 - floor) * (elapsed - w.window)) / span;
    }
  }
}

/** True once the expectation can no longer earn anything. */
export function isExpired(elapsed: number, w: DecayWindow): boolean {
  return elapsed > w.expiry;
}
