/**
 * Host expansion: every scenario entry becomes concrete hosts with team-1 addresses (the
 * template), workstations get their users, and the firewall gets an interface in every segment.
 * Teams are then stamped out from the template by shifting addresses.
 */
import { parseIp } from '../common/ipv4';
import type { Scenario } from '../scenario/schema';
import { AddressText } from './address-text';
import { AddressPool, segmentLayout, shiftIp, teamOffset } from './addressing';
import { expandNames, groupId } from './host-names';
import type { Fidelity, HostPlan, HostRole, SegmentPlan, UserPlan } from './plan';

export interface TemplateHost {
  name: string;
  fqdn: string;
  aliases: string[];
  group: string;
  role: HostRole;
  os: string;
  fidelity: Fidelity;
  interfaces: { segment: string; ip: number }[];
  department?: string;
  services: string[];
  users: string[];
  resources: HostPlan['resources'];
  tags: string[];
}

const DEFAULT_OS: Partial<Record<HostRole, string>> = {
  workstation: 'windows-10',
  'domain-controller': 'windows-server-2019',
  'file-server': 'windows-server-2019',
  printer: 'embedded',
};

const DEFAULT_RESOURCES = { memoryMb: 256, cpus: 0.5, pids: 256 };

function resourcesOf(r: Scenario['hosts'][number]['resources']): HostPlan['resources'] {
  const mem = r?.memory;
  const memoryMb = mem
    ? Number(mem.slice(0, -1)) * (mem.endsWith('g') ? 1024 : 1)
    : DEFAULT_RESOURCES.memoryMb;
  return { memoryMb, cpus: r?.cpus ?? DEFAULT_RESOURCES.cpus, pids: r?.pids ?? DEFAULT_RESOURCES.pids };
}

export function expandTemplateHosts(
  scenario: Scenario,
  users: UserPlan[],
  fidelity?: 'simulated',
): TemplateHost[] {
  const net = scenario.network;
  const pools = new Map(net.segments.map((s) => [s.id, new AddressPool(segmentLayout(s.cidr, s.gateway)!)]));
  for (const h of scenario.hosts) if (h.ip !== undefined) pools.get(h.segment)!.claim(parseIp(h.ip)!);
  const pinned = new Map(users.filter((u) => u.host).map((u) => [u.host!, u]));
  const byDept = new Map<string, UserPlan[]>();
  for (const u of users)
    if (!u.host) (byDept.get(u.department) ?? byDept.set(u.department, []).get(u.department)!).push(u);
  const out: TemplateHost[] = [];
  for (const entry of scenario.hosts) {
    const pool = pools.get(entry.segment)!;
    const shared = {
      aliases: entry.aliases,
      group: groupId(entry),
      role: entry.role,
      os: entry.os ?? DEFAULT_OS[entry.role] ?? 'debian-12',
      fidelity: fidelity ?? entry.fidelity,
      department: entry.department,
      services: entry.services,
      resources: resourcesOf(entry.resources),
      tags: entry.tags,
    };
    const queue =
      entry.department && entry.role === 'workstation' ? (byDept.get(entry.department) ?? []) : [];
    for (const name of expandNames(entry)) {
      const ip = entry.ip !== undefined ? parseIp(entry.ip)! : pool.next()!;
      const owner = pinned.get(name) ?? (entry.role === 'workstation' ? queue.shift() : undefined);
      if (owner && !owner.host) owner.host = name;
      out.push({
        ...shared,
        name,
        fqdn: `${name}.${net.domain}`,
        interfaces: [{ segment: entry.segment, ip }],
        users: owner ? [owner.id] : [],
      });
    }
  }
  if (net.firewall) {
    out.push({
      name: net.firewall.name,
      fqdn: `${net.firewall.name}.${net.domain}`,
      aliases: [],
      group: 'firewall',
      role: 'firewall',
      os: 'debian-12',
      fidelity: fidelity ?? net.firewall.fidelity,
      interfaces: net.segments.map((s) => ({ segment: s.id, ip: segmentLayout(s.cidr, s.gateway)!.gateway })),
      services: ['nftables'],
      users: [],
      resources: { memoryMb: 128, cpus: 0.5, pids: 128 },
      tags: [],
    });
  }
  return out;
}

/** Team `index`'s segments: the template's, shifted into the team's own address block. */
export function teamSegments(scenario: Scenario, index: number): SegmentPlan[] {
  return scenario.network.segments.map((s) => {
    const layout = segmentLayout(s.cidr, s.gateway)!;
    const offset = teamOffset(index, s.teamStride ?? scenario.network.teamStride);
    return {
      id: s.id,
      title: s.title ?? s.id,
      zone: s.zone,
      cidr: `${shiftIp(layout.cidr.base, offset)}/${layout.cidr.prefix}`,
      gateway: shiftIp(layout.gateway, offset),
      bridge: shiftIp(layout.bridge, offset),
    };
  });
}

/** Team `index`'s hosts; arrays that do not depend on the team are shared with the template. */
export function teamHosts(
  scenario: Scenario,
  template: TemplateHost[],
  team: string,
  index: number,
): HostPlan[] {
  const offsets = new Map(
    scenario.network.segments.map((s) => [
      s.id,
      teamOffset(index, s.teamStride ?? scenario.network.teamStride),
    ]),
  );
  const text = new AddressText();
  const hosts = new Array<HostPlan>(template.length);
  // The hot loop of the compiler (hosts × teams): one object literal of a fixed shape per host,
  // no spreads; `department: undefined` is dropped by JSON.stringify like an absent key.
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const interfaces = new Array<{ segment: string; ip: string }>(t.interfaces.length);
    for (let j = 0; j < t.interfaces.length; j++) {
      const f = t.interfaces[j]!;
      interfaces[j] = { segment: f.segment, ip: text.format(f.ip + offsets.get(f.segment)!) };
    }
    hosts[i] = {
      name: t.name,
      fqdn: t.fqdn,
      aliases: t.aliases,
      team,
      group: t.group,
      role: t.role,
      os: t.os,
      fidelity: t.fidelity,
      segment: interfaces[0]!.segment,
      ip: interfaces[0]!.ip,
      interfaces,
      department: t.department,
      services: t.services,
      users: t.users,
      resources: t.resources,
      tags: t.tags,
    };
  }
  return hosts;
}
