import type { Plan, TeamPlan } from '../../compiler/plan';
import { type ArtifactContext, type ArtifactRecord, expandArtifact } from '../injects/telemetry-artifacts';
import { hash2, hashString } from './prng';

/**
 * One team's simulated organisation as flat arrays (struct-of-arrays): thousands of hosts cost a
 * few typed arrays, not an object graph or a timer each. Everything random about a host is
 * seeded by (scenario seed, host name), so every team's background is the same story with the
 * team's own addresses — fair to compare, impossible to copy between teams.
 */
export interface TeamModel {
  team: string;
  epochMs: number;
  /** Scenario T+0 as seconds after local midnight. */
  start: number;
  activity: number;
  names: string[];
  ips: string[];
  /** Primary user's account ('' for servers and unassigned hosts). */
  users: string[];
  seeds: Uint32Array;
  server: Uint8Array;
  workStart: Float64Array;
  workEnd: Float64Array;
  byName: Map<string, number>;
  byIp: Map<string, number>;
  byUser: Map<string, number[]>;
  proxy: { name: string; ip: string; port: number };
  dnsServer: string;
  domainController: string;
  fileServer: string;
  mailServer: string;
  domain: string;
  /**
   * Background records of all hosts per minute, filled as counts are asked for: the background is
   * a pure function of the seed, so a count once made never changes (dashboards poll the same day).
   */
  bucketTotals: Map<number, number>;
  /** Decoy records from the plan (odd but benign), expanded once. */
  decoys: ArtifactRecord[];
  artifactContext(firedMs: number): ArtifactContext;
}

const ACTIVITY = { low: 0.5, normal: 1, high: 2 } as const;

function serverName(team: TeamPlan, role: string, fallback: string): string {
  return team.hosts.find((h) => h.role === role)?.name ?? fallback;
}

export function buildTeamModel(plan: Plan, team: TeamPlan, epochMs: number): TeamModel {
  const n = team.hosts.length;
  const usersById = new Map(plan.users.map((u) => [u.id, u]));
  const m: TeamModel = {
    team: team.id,
    epochMs,
    start: plan.scenario.start,
    activity: ACTIVITY[plan.simulation.activity],
    names: [],
    ips: [],
    users: [],
    seeds: new Uint32Array(n),
    server: new Uint8Array(n),
    workStart: new Float64Array(n),
    workEnd: new Float64Array(n),
    byName: new Map(),
    byIp: new Map(),
    byUser: new Map(),
    proxy: { name: 'proxy', ip: '0.0.0.0', port: plan.network.egress?.port ?? 3128 },
    dnsServer: serverName(team, 'dns', serverName(team, 'domain-controller', 'dns')),
    domainController: serverName(team, 'domain-controller', 'dc01'),
    fileServer: serverName(team, 'file-server', 'fs01'),
    mailServer: serverName(team, 'mail', 'mail01'),
    domain: plan.network.domain,
    decoys: [],
    bucketTotals: new Map(),
    artifactContext: (firedMs) => ({
      firedMs,
      hostIp: (name) => {
        const i = m.byName.get(name);
        return i === undefined ? undefined : m.ips[i];
      },
      account: (u) => usersById.get(u)?.account ?? u,
      hostUser: (name) => m.users[m.byName.get(name) ?? -1] ?? '',
      proxy: m.proxy,
      dnsServer: m.dnsServer,
    }),
  };
  team.hosts.forEach((h, i) => {
    const user = h.users[0] ? usersById.get(h.users[0]) : undefined;
    m.names.push(h.name);
    m.ips.push(h.ip);
    m.users.push(user?.account ?? '');
    m.seeds[i] = hash2(plan.scenario.seed, hashString(h.name));
    m.server[i] = h.role === 'workstation' ? 0 : 1;
    m.workStart[i] = user?.workingHours.start ?? 9 * 3600;
    m.workEnd[i] = user?.workingHours.end ?? 18 * 3600;
    m.byName.set(h.name, i);
    m.byIp.set(h.ip, i);
    if (user) {
      const list = m.byUser.get(user.account) ?? [];
      list.push(i);
      m.byUser.set(user.account, list);
    }
  });
  const proxyName = plan.network.egress?.proxy ?? serverName(team, 'proxy', 'proxy');
  const pi = m.byName.get(proxyName);
  m.proxy = { name: proxyName, ip: pi === undefined ? '0.0.0.0' : m.ips[pi]!, port: m.proxy.port };
  const ctx = m.artifactContext(epochMs);
  m.decoys = plan.simulation.decoys
    .filter((d) => m.byName.has(d.host))
    .flatMap((d) => expandArtifact(d, ctx))
    .sort((a, b) => a.ts - b.ts);
  return m;
}
