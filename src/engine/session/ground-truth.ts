import { createHash } from 'node:crypto';
import type { InjectPlan, Plan, TeamPlan } from '../../compiler/plan';
import type { AttackArtifacts } from '../events/event-types';
import type { ArtifactRecord } from '../injects/telemetry-artifacts';

/**
 * The trackable id of one firing: stable for (session, team, inject, occurrence), so a firing
 * re-executed after a crash carries the same id, and opaque, so teams cannot guess it.
 */
export function trackableId(session: string, team: string, inject: string, occurrence: string): string {
  return `trk-${createHash('sha256').update(`${session}\u0000${team}\u0000${inject}\u0000${occurrence}`).digest('hex').slice(0, 16)}`;
}

/**
 * What an attack step touched in one team: the inject's declared indicators resolved to the
 * team's own hosts, accounts and addresses, plus everything its telemetry records name.
 */
export function attackArtifacts(
  plan: Plan,
  team: TeamPlan,
  inj: InjectPlan,
  records: ArtifactRecord[],
): AttackArtifacts {
  const hosts = new Set(inj.indicators.hosts);
  const accounts = new Set<string>();
  const ips = new Set(inj.indicators.ips);
  const domains = new Set(inj.indicators.domains);
  const hashes = new Set(inj.indicators.hashes);
  const users = new Map(plan.users.map((u) => [u.id, u.account]));
  for (const u of inj.indicators.users) accounts.add(users.get(u) ?? u);
  const action = inj.action;
  if ('host' in action && typeof action.host === 'string') hosts.add(action.host);
  if (action.type === 'beacon') domains.add(action.domain);
  for (const r of records) {
    hosts.add(r.host);
    if (r.user) accounts.add(r.user);
    const f = r.fields;
    if (typeof f['destination.domain'] === 'string' && f['event.action'] !== 'network-connection') {
      domains.add(f['destination.domain']);
    }
    if (typeof f['destination.ip'] === 'string' && f['event.dataset'] === 'squid.access')
      ips.add(f['destination.ip']);
    for (const k of ['process.hash.sha256', 'file.hash.sha256'])
      if (typeof f[k] === 'string') hashes.add(f[k] as string);
    if (typeof f['user.target.name'] === 'string' && f['user.target.name'])
      accounts.add(f['user.target.name']);
    // The pivot of a lateral step (`source.address: pc-victim`) was touched too.
    for (const k of ['source.address', 'destination.address']) {
      const v = f[k];
      if (typeof v === 'string' && team.hosts.some((h) => h.name === v)) hosts.add(v);
    }
  }
  const byName = new Map(team.hosts.map((h) => [h.name, h.ip]));
  for (const h of hosts) {
    const ip = byName.get(h);
    if (ip) ips.add(ip);
  }
  const sorted = (s: Set<string>) => [...s].filter(Boolean).sort();
  return {
    hosts: sorted(hosts),
    accounts: sorted(accounts),
    ips: sorted(ips),
    domains: sorted(domains),
    hashes: sorted(hashes),
  };
}
