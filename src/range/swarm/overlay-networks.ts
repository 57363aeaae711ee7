import { shortHash, stableStringify } from '../common/hash';
import type { DesiredState } from '../desired-state';
import type { NetworkCreateOptions } from '../docker/clients';
import { LABEL } from '../labels';

export interface OverlaySpec {
  name: string;
  team: string;
  segment: string;
  cidr: string;
  configHash: string;
  options: NetworkCreateOptions;
}

/**
 * The plan's segments as Swarm overlay networks: the same names, labels and explicit subnets as the
 * bridge backend, `Internal: true` (no gateway bridge, so no route out), attachable (an operator's
 * tool container may join). The IPAM gateway is the segment's first address, as for the bridge, so
 * the plan's firewall address stays in the allocatable range. Pure.
 */
export function overlayNetworks(desired: DesiredState): OverlaySpec[] {
  return desired.networks.map((n) => {
    const config = n.options.IPAM?.Config?.[0] ?? {};
    const cidr = String(config.Subnet);
    const configHash = shortHash(stableStringify({ driver: 'overlay', cidr, gateway: config.Gateway }));
    return {
      name: n.name,
      team: n.team,
      segment: n.segment,
      cidr,
      configHash,
      options: {
        Name: n.name,
        Driver: 'overlay',
        Internal: true,
        Attachable: true,
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: cidr, Gateway: String(config.Gateway) }] },
        Labels: {
          [LABEL.exercise]: desired.exercise,
          [LABEL.team]: n.team,
          [LABEL.segment]: n.segment,
          [LABEL.configHash]: configHash,
          [LABEL.backend]: 'swarm',
        },
      },
    };
  });
}
