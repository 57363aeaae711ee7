/**
 * Containment on simulated hosts, decided from the fold of the team's actions: the state the
 * simulation is in is exactly what the log says, so "probing" it is reading the fold at a time.
 */
import type { ContainmentCheck, Plan } from '../compiler/plan';
import { activeAt, domainBlockedAt, type ResponseEffects } from '../engine/simulation/response-effects';

export interface Verdict {
  ok: boolean;
  detail: string;
}

/** The domains the beacons of `host` call (from the plan's beacon injects). */
export function beaconDomainsOf(plan: Plan, host: string): string[] {
  return plan.injects.flatMap((i) =>
    i.action.type === 'beacon' && i.action.host.toLowerCase() === host.toLowerCase() ? [i.action.domain] : [],
  );
}

export function simulatedVerdict(
  plan: Plan,
  check: ContainmentCheck,
  fx: ResponseEffects,
  atMs: number,
): Verdict {
  if ('isolated' in check) {
    const ok = activeAt(fx.isolated.get(check.isolated.toLowerCase()), atMs);
    return { ok, detail: `${check.isolated} ${ok ? 'is' : 'is not'} isolated (simulation)` };
  }
  if ('beaconStopped' in check) {
    const host = check.beaconStopped;
    if (activeAt(fx.isolated.get(host.toLowerCase()), atMs)) {
      return { ok: true, detail: `no beacon from ${host} reaches the C2: the host is isolated (simulation)` };
    }
    const domains = beaconDomainsOf(plan, host);
    const blocked = domains.filter((d) => domainBlockedAt(fx, d, atMs));
    const ok = domains.length > 0 && blocked.length === domains.length;
    return {
      ok,
      detail: ok
        ? `the proxy denies every beacon of ${host} (${blocked.join(', ')}) (simulation)`
        : `${host} still reaches its C2 (simulation)`,
    };
  }
  if ('blocked' in check) {
    const ok = domainBlockedAt(fx, check.blocked, atMs) || activeAt(fx.blockedIps.get(check.blocked), atMs);
    return { ok, detail: `${check.blocked} ${ok ? 'is' : 'is not'} blocked (simulation)` };
  }
  if ('accountDisabled' in check) {
    const ok = activeAt(fx.disabledAccounts.get(check.accountDisabled.toLowerCase()), atMs);
    return { ok, detail: `account ${check.accountDisabled} ${ok ? 'is' : 'is not'} disabled (simulation)` };
  }
  const { host, name } = check.processKilled;
  const kill = fx.killed.find(
    (k) =>
      k.host === host.toLowerCase() && k.process.toLowerCase().includes(name.toLowerCase()) && k.at <= atMs,
  );
  const ok = kill !== undefined;
  return { ok, detail: `${name} on ${host} ${ok ? 'was killed' : 'still runs'} (simulation)` };
}
