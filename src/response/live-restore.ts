/**
 * Restoring a live host from its image, through the range lifecycle: the container is removed and
 * `rangeUp` reconciles the range, which recreates exactly the missing host from the plan (same
 * image, addresses and labels) and waits until it is ready. What the attacker left on it is gone;
 * so are the team's changes inside it (a restored firewall loads the scenario's policy again).
 */
import type { Plan } from '../compiler/plan';
import type { LiveHostDriver } from '../engine/live/live-host-driver';
import { resourceName } from '../range/desired-state';
import type { Clients } from '../range/docker/clients';
import { rangeUp } from '../range/lifecycle/range-up';

export type HostRestorer = (team: string, host: string) => Promise<{ ok: boolean; detail: string }>;

/** What response actions need of a live range: its driver, and the lifecycle to restore hosts. */
export interface ResponseRange {
  driver: LiveHostDriver;
  restore?: HostRestorer;
}

export function rangeRestorer(clients: Clients, plan: Plan, exercise: string): HostRestorer {
  return async (team, host) => {
    const name = resourceName(exercise, team, host);
    await clients.containers.remove(name);
    const up = await rangeUp(clients, plan, { exercise });
    const failed = up.failed.find((f) => f.name === name);
    if (failed) return { ok: false, detail: `recreating ${name} failed: ${failed.reason}` };
    if (!up.ready.includes(name))
      return { ok: false, detail: `${name} was not recreated — check \`cyrange status\`` };
    return { ok: true, detail: `${host} recreated from its image and ready` };
  };
}
