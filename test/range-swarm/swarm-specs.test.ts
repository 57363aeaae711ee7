/** The pure parts of the Swarm backend: placement by node label, subnets, the service spec. */
import { desiredState } from '../../src/range/desired-state';
import type { SwarmNode } from '../../src/range/docker/clients';
import type { ImageSet } from '../../src/range/images/image-builder';
import { cidrContains } from '../../src/range/swarm/cidr';
import { overlayNetworks } from '../../src/range/swarm/overlay-networks';
import { teamPlacement } from '../../src/range/swarm/placement';
import { serviceSpec } from '../../src/range/swarm/service-spec';
import { fixturePlan } from '../range/support/live-range';

const node = (id: string, slot?: string): SwarmNode => ({
  id,
  hostname: id,
  ready: true,
  labels: slot ? { 'cyrange.team-slot': slot } : ({} as Record<string, string>),
});

test('teams spread round-robin over the team slots of labelled nodes; no labels, no constraint', () => {
  const placement = teamPlacement(['t01', 't02', 't03'], [node('a', '1'), node('b', '2'), node('c')]);
  expect(placement.get('t01')).toEqual(['node.labels.cyrange.team-slot==1']);
  expect(placement.get('t02')).toEqual(['node.labels.cyrange.team-slot==2']);
  expect(placement.get('t03')).toEqual(['node.labels.cyrange.team-slot==1']);
  expect(teamPlacement(['t01'], [node('a')]).get('t01')).toEqual([]);
});

test('cidrContains', () => {
  expect(cidrContains('10.246.2.0/24', '10.246.2.20')).toBe(true);
  expect(cidrContains('10.246.2.0/24', '10.246.3.1')).toBe(false);
  expect(cidrContains('198.19.0.0/23', '198.19.1.255')).toBe(true);
});

test('a host becomes one hardened replica on its overlays, with the gateway of the firewall task', () => {
  const plan = fixturePlan('../../range-swarm/fixtures/swarm-range.yaml');
  const images = {
    tags: new Proxy({}, { get: (_, image) => `cyrange/${String(image)}:x` }),
  } as unknown as ImageSet;
  const desired = desiredState(plan, 'ex', images);
  const overlays = overlayNetworks(desired);
  expect(overlays.map((n) => n.options.Driver)).toEqual(['overlay', 'overlay']);
  expect(overlays.every((n) => n.options.Internal && n.options.Attachable)).toBe(true);
  const pc = desired.hosts.find((h) => h.host === 'pc-01');
  if (!pc) throw new Error('no pc-01');
  const context = {
    constraints: ['node.labels.cyrange.team-slot==1'],
    firewall: new Map([['ex-t01-staff', '10.246.16.7']]),
    collector: new Map([['ex-t01-servers', '10.246.2.9']]),
    cidrs: overlays.map((n) => n.cidr),
  };
  const { spec, configHash } = serviceSpec(pc, context);
  const task = spec.TaskTemplate as {
    ContainerSpec: { Env: string[]; CapabilityDrop: string[]; CapabilityAdd: string[] };
    Placement: { Constraints: string[] };
    Networks: { Target: string; Aliases: string[] }[];
  };
  expect(task.ContainerSpec.Env).toContain('CYRANGE_GATEWAY=10.246.16.7');
  expect(task.ContainerSpec.Env).toContain('CYRANGE_LOGHOST=10.246.2.9');
  expect(task.ContainerSpec.CapabilityDrop).toEqual(['ALL']);
  expect(task.ContainerSpec.CapabilityAdd).toContain('NET_ADMIN');
  expect(task.Placement.Constraints).toEqual(context.constraints);
  expect(task.Networks[0]).toMatchObject({ Target: 'ex-t01-staff' });
  expect(spec.Labels?.['cyrange.config-hash']).toBe(configHash);
  // Same inputs, same hash; another firewall address, another hash.
  expect(serviceSpec(pc, context).configHash).toBe(configHash);
  const moved = { ...context, firewall: new Map([['ex-t01-staff', '10.246.16.8']]) };
  expect(serviceSpec(pc, moved).configHash).not.toBe(configHash);
});
