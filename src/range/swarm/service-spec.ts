import { shortHash, stableStringify } from '../common/hash';
import type { HostSpec } from '../desired-state';
import type { ServiceSpec } from '../docker/clients';
import { LABEL } from '../labels';
import { cidrContains } from './cidr';

/** Addresses the engine gave running tasks: host name → network name → IPv4. */
export type TaskAddresses = Map<string, Map<string, string>>;

export interface SwarmServiceSpec {
  name: string;
  host: HostSpec;
  configHash: string;
  spec: ServiceSpec;
}

export interface ServiceContext {
  /** Placement constraints of the host's team. */
  constraints: string[];
  /** Where the team's firewall and log collector run (their tasks' addresses), once known. */
  firewall?: Map<string, string>;
  collector?: Map<string, string>;
  /** Subnets of the team's segments (to widen the egress rule, see below). */
  cidrs: string[];
}

/**
 * One live host as a Swarm service: one replica, the same image, environment, labels, capabilities and
 * limits as the container backend, on the host's overlay networks with its names as aliases. Services
 * have no static IPs, so the plan's addresses of the firewall and the log collector in the environment
 * are replaced by the addresses their tasks got (they are deployed first). The firewall's rules are by
 * segment subnet and hold unchanged, except the egress rule that names the proxy's address: it is
 * widened to the proxy's segment. Pure.
 */
export function serviceSpec(host: HostSpec, context: ServiceContext): SwarmServiceSpec {
  const options = host.options;
  const hc = options.HostConfig ?? {};
  const firstNetwork = host.interfaces[0]?.network ?? '';
  const env = (options.Env ?? []).flatMap((entry) => {
    if (entry.startsWith('CYRANGE_GATEWAY=')) {
      const ip = context.firewall?.get(firstNetwork);
      return ip ? [`CYRANGE_GATEWAY=${ip}`] : [];
    }
    if (entry.startsWith('CYRANGE_LOGHOST=')) {
      const ip = context.collector ? [...context.collector.values()][0] : undefined;
      return ip ? [`CYRANGE_LOGHOST=${ip}`] : [];
    }
    if (entry.startsWith('CYRANGE_FIREWALL_RULES=')) {
      const rules = Buffer.from(entry.slice('CYRANGE_FIREWALL_RULES='.length), 'base64').toString('utf8');
      const widened = rules.replace(/! -s (\d+\.\d+\.\d+\.\d+)\/32/g, (match, ip: string) => {
        const cidr = context.cidrs.find((c) => cidrContains(c, ip));
        return cidr ? `! -s ${cidr}` : match;
      });
      return [`CYRANGE_FIREWALL_RULES=${Buffer.from(widened).toString('base64')}`];
    }
    return [entry];
  });
  const labels = { ...(options.Labels ?? {}) };
  delete labels[LABEL.configHash];
  const spec: ServiceSpec = {
    Name: host.name,
    TaskTemplate: {
      ContainerSpec: {
        Image: String(options.Image),
        Hostname: options.Hostname ?? host.host,
        Env: env,
        Labels: labels,
        Init: true,
        // Engine API ≥ 1.41 (Docker 20.10): the same capability set as the container backend.
        CapabilityDrop: ['ALL'],
        CapabilityAdd: hc.CapAdd ?? [],
        Sysctls: hc.Sysctls ?? {},
      },
      Resources: {
        Limits: {
          NanoCPUs: hc.NanoCpus ?? 5e8,
          MemoryBytes: hc.Memory ?? 256 * 1024 * 1024,
          Pids: hc.PidsLimit ?? 256,
        },
      },
      // As `RestartPolicy: no` for containers: a task keeps its address; `up` replaces a dead one.
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: context.constraints },
      Networks: host.interfaces.map((i) => ({ Target: i.network, Aliases: i.aliases })),
      LogDriver: { Name: 'json-file', Options: { 'max-size': '1m', 'max-file': '2' } },
    },
    Mode: { Replicated: { Replicas: 1 } },
    // DNS answers with the task's own address (no virtual IP behind IPVS): the firewall sees real peers.
    EndpointSpec: { Mode: 'dnsrr' },
  };
  const configHash = shortHash(stableStringify(spec));
  spec.Labels = { ...labels, [LABEL.configHash]: configHash, [LABEL.backend]: 'swarm' };
  return { name: host.name, host, configHash, spec };
}
