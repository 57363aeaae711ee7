import type { HostPlan, Plan, SegmentPlan, TeamPlan } from '../compiler/plan';
import { shortHash, stableStringify } from './common/hash';
import type { ContainerCreateOptions, NetworkCreateOptions } from './docker/clients';
import { renderFirewallRules } from './firewall/render-policy';
import type { ImageSet } from './images/image-builder';
import { CAPS_FOR_IMAGE, IMAGE_FOR_ROLE, type ImageName, ROUTE_CAPS } from './images/image-catalog';
import { BRIDGE_PREFIX, LABEL } from './labels';
import { READINESS, READY_CHECK_ENV, type ReadinessCheck } from './readiness/readiness-checks';

/** Replaces the readiness check of some images (tests; custom images). */
export type ReadinessOverrides = Partial<Record<ImageName, ReadinessCheck>>;

/**
 * What a plan means on one engine: the networks and containers that must exist, each with a config hash.
 * Pure: built from the plan and the image tags, compared by reconcile with what the engine has.
 */
export interface NetworkSpec {
  name: string;
  team: string;
  segment: string;
  configHash: string;
  options: NetworkCreateOptions;
}

export interface InterfaceSpec {
  network: string;
  ip: string;
  aliases: string[];
}

export interface HostSpec {
  name: string;
  team: string;
  host: string;
  role: HostPlan['role'];
  image: ImageName;
  configHash: string;
  interfaces: InterfaceSpec[];
  options: ContainerCreateOptions;
}

export interface DesiredState {
  exercise: string;
  networks: NetworkSpec[];
  hosts: HostSpec[];
}

/** Bytes one file in a range container may reach (RLIMIT_FSIZE); larger writes fail with EFBIG. */
export const FILE_SIZE_LIMIT = 256 * 1024 * 1024;

export function resourceName(exercise: string, team: string, item: string): string {
  return `${exercise}-${team}-${item}`;
}

/** Linux interface names are at most 15 characters: `cr-` + 12 hex of the network name. */
export function bridgeName(network: string): string {
  return BRIDGE_PREFIX + shortHash(network);
}

function networkSpec(exercise: string, team: TeamPlan, segment: SegmentPlan): NetworkSpec {
  const name = resourceName(exercise, team.id, segment.id);
  const shape = { cidr: segment.cidr, bridge: segment.bridge, internal: true, hostAddress: false };
  const configHash = shortHash(stableStringify(shape));
  return {
    name,
    team: team.id,
    segment: segment.id,
    configHash,
    options: {
      Name: name,
      Driver: 'bridge',
      // Never the default pools: the plan's subnet, and no route to the outside.
      Internal: true,
      CheckDuplicate: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: segment.cidr, Gateway: segment.bridge }] },
      Options: {
        'com.docker.network.bridge.name': bridgeName(name),
        'com.docker.network.bridge.enable_ip_masquerade': 'false',
        // No address on the engine host's side of the bridge: a range host has nothing on the host to reach.
        'com.docker.network.bridge.inhibit_ipv4': 'true',
      },
      Labels: {
        [LABEL.exercise]: exercise,
        [LABEL.team]: team.id,
        [LABEL.segment]: segment.id,
        [LABEL.configHash]: configHash,
      },
    },
  };
}

function isLive(host: HostPlan): boolean {
  return host.fidelity === 'live';
}

/** Every name of every live host of the team, so names resolve across segments (the engine's DNS does not). */
function extraHosts(team: TeamPlan): string[] {
  const entries: string[] = [];
  for (const host of team.hosts.filter(isLive)) {
    for (const name of new Set([host.name, host.fqdn, ...host.aliases])) entries.push(`${name}:${host.ip}`);
  }
  return entries;
}

function hostSpec(
  plan: Plan,
  exercise: string,
  team: TeamPlan,
  host: HostPlan,
  images: ImageSet,
  readiness: ReadinessOverrides,
): HostSpec {
  const image = IMAGE_FOR_ROLE[host.role];
  const name = resourceName(exercise, team.id, host.name);
  const segments = new Map(team.segments.map((s) => [s.id, s]));
  const firewall = team.hosts.find((h) => h.role === 'firewall' && isLive(h));
  const collector = team.hosts.find((h) => h.role === 'log-collector' && isLive(h));
  const interfaces = (
    host.interfaces.length ? host.interfaces : [{ segment: host.segment, ip: host.ip }]
  ).map((i) => ({
    network: resourceName(exercise, team.id, i.segment),
    ip: i.ip,
    aliases: [...new Set([host.name, host.fqdn, ...host.aliases])],
  }));
  const env = [
    `CYRANGE_EXERCISE=${exercise}`,
    `CYRANGE_TEAM=${team.id}`,
    `CYRANGE_HOST=${host.name}`,
    `${READY_CHECK_ENV}=${(readiness[image] ?? READINESS[image]).command}`,
  ];
  const caps = [...CAPS_FOR_IMAGE[image]];
  const sysctls: Record<string, string> = { 'net.ipv6.conf.all.disable_ipv6': '1' };
  if (host.role === 'firewall') {
    env.push(`CYRANGE_FIREWALL_RULES=${Buffer.from(renderFirewallRules(plan, team)).toString('base64')}`);
    sysctls['net.ipv4.ip_forward'] = '1';
  } else {
    const gateway = firewall ? segments.get(host.segment)?.gateway : undefined;
    if (gateway) env.push(`CYRANGE_GATEWAY=${gateway}`);
    if (collector && collector.name !== host.name) env.push(`CYRANGE_LOGHOST=${collector.ip}`);
    caps.push(...ROUTE_CAPS);
  }
  const first = interfaces[0]!;
  const options: ContainerCreateOptions = {
    name,
    Image: images.tags[image],
    Hostname: host.name,
    Domainname: plan.network.domain,
    Env: env,
    HostConfig: {
      Init: true,
      Privileged: false,
      CapDrop: ['ALL'],
      CapAdd: [...new Set(caps)].sort(),
      SecurityOpt: ['no-new-privileges'],
      Memory: host.resources.memoryMb * 1024 * 1024,
      MemorySwap: host.resources.memoryMb * 1024 * 1024,
      NanoCpus: Math.round(host.resources.cpus * 1e9),
      PidsLimit: host.resources.pids,
      // overlay2 on ext4 has no per-container quota: a participant filling the disk fills the engine
      // host's. No single file may pass FILE_SIZE_LIMIT (root in the container cannot raise a hard
      // limit without CAP_SYS_RESOURCE); the range health's disk guard bounds the total (docs/RANGE.md).
      Ulimits: [{ Name: 'fsize', Soft: FILE_SIZE_LIMIT, Hard: FILE_SIZE_LIMIT }],
      Sysctls: sysctls,
      ExtraHosts: extraHosts(team),
      NetworkMode: first.network,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } },
    },
    NetworkingConfig: {
      EndpointsConfig: { [first.network]: { IPAMConfig: { IPv4Address: first.ip }, Aliases: first.aliases } },
    },
  };
  const configHash = shortHash(stableStringify({ options, interfaces }));
  options.Labels = {
    [LABEL.exercise]: exercise,
    [LABEL.team]: team.id,
    [LABEL.host]: host.name,
    [LABEL.role]: host.role,
    [LABEL.configHash]: configHash,
  };
  return { name, team: team.id, host: host.name, role: host.role, image, configHash, interfaces, options };
}

export function desiredState(
  plan: Plan,
  exercise: string,
  images: ImageSet,
  readiness: ReadinessOverrides = {},
): DesiredState {
  const networks: NetworkSpec[] = [];
  const hosts: HostSpec[] = [];
  for (const team of plan.teams) {
    const live = team.hosts.filter(isLive);
    const used = new Set(
      live.flatMap((h) => (h.interfaces.length ? h.interfaces.map((i) => i.segment) : [h.segment])),
    );
    for (const segment of team.segments)
      if (used.has(segment.id)) networks.push(networkSpec(exercise, team, segment));
    for (const host of live) hosts.push(hostSpec(plan, exercise, team, host, images, readiness));
  }
  return { exercise, networks, hosts };
}

/** Images a plan needs (so `up` builds only those). */
export function imagesFor(plan: Plan): ImageName[] {
  const needed = new Set<ImageName>();
  for (const team of plan.teams)
    for (const host of team.hosts.filter(isLive)) needed.add(IMAGE_FOR_ROLE[host.role]);
  return [...needed];
}
