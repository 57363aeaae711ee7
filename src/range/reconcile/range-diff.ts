import type { DesiredState, HostSpec, NetworkSpec } from '../desired-state';
import type { ContainerSummary, NetworkSummary } from '../docker/clients';
import { LABEL } from '../labels';
import { containerName, type ObservedState } from './observed-state';

/**
 * The difference between what a plan wants and what the engine has. Pure: `up` applies it, and a second
 * `up` over an unchanged plan finds nothing to do. A host is recreated when its config hash differs or one
 * of its networks is recreated or it was never started; restarted when it is unchanged but stopped.
 */
export interface RangeDiff {
  networks: { create: NetworkSpec[]; remove: NetworkSummary[]; keep: NetworkSpec[] };
  hosts: {
    create: HostSpec[];
    recreate: { spec: HostSpec; existing: ContainerSummary }[];
    restart: { spec: HostSpec; existing: ContainerSummary }[];
    remove: ContainerSummary[];
    keep: HostSpec[];
  };
}

export function diffRange(desired: DesiredState, observed: ObservedState): RangeDiff {
  const out: RangeDiff = {
    networks: { create: [], remove: [], keep: [] },
    hosts: { create: [], recreate: [], restart: [], remove: [], keep: [] },
  };
  const networksByName = new Map<string, NetworkSummary>();
  for (const network of observed.networks) {
    // Duplicate names (left by an interrupted create) are removed; the first one is compared.
    if (networksByName.has(network.Name)) out.networks.remove.push(network);
    else networksByName.set(network.Name, network);
  }
  const replacedNetworks = new Set<string>();
  for (const spec of desired.networks) {
    const existing = networksByName.get(spec.name);
    networksByName.delete(spec.name);
    if (!existing) out.networks.create.push(spec);
    else if (existing.Labels?.[LABEL.configHash] === spec.configHash) out.networks.keep.push(spec);
    else {
      out.networks.remove.push(existing);
      out.networks.create.push(spec);
      replacedNetworks.add(spec.name);
    }
  }
  out.networks.remove.push(...networksByName.values());

  const containersByName = new Map<string, ContainerSummary>();
  for (const container of observed.containers) {
    const name = containerName(container);
    if (containersByName.has(name)) out.hosts.remove.push(container);
    else containersByName.set(name, container);
  }
  for (const spec of desired.hosts) {
    const existing = containersByName.get(spec.name);
    containersByName.delete(spec.name);
    if (!existing) out.hosts.create.push(spec);
    else if (
      existing.Labels?.[LABEL.configHash] !== spec.configHash ||
      // Never started: an `up` died between create and start, maybe before every network was connected.
      existing.State === 'created' ||
      spec.interfaces.some((i) => replacedNetworks.has(i.network))
    ) {
      out.hosts.recreate.push({ spec, existing });
    } else if (existing.State !== 'running') out.hosts.restart.push({ spec, existing });
    else out.hosts.keep.push(spec);
  }
  out.hosts.remove.push(...containersByName.values());
  return out;
}

export function isEmptyDiff(diff: RangeDiff): boolean {
  const { networks: n, hosts: h } = diff;
  return (
    n.create.length +
      n.remove.length +
      h.create.length +
      h.recreate.length +
      h.restart.length +
      h.remove.length ===
    0
  );
}
