/** The reconcile diff, without an engine: what a plan wants against what the engine reports. */

import { desiredState } from '../../src/range/desired-state';
import type { ContainerSummary, NetworkSummary } from '../../src/range/docker/clients';
import { IMAGE_NAMES, type ImageName } from '../../src/range/images/image-catalog';
import { LABEL } from '../../src/range/labels';
import { diffRange, isEmptyDiff } from '../../src/range/reconcile/range-diff';
import { fixturePlan } from './support/live-range';

const images = {
  base: 'cyrange/base:0',
  tags: Object.fromEntries(IMAGE_NAMES.map((i) => [i, `cyrange/${i}:1`])) as Record<ImageName, string>,
};
const desired = desiredState(fixturePlan('small-range.yaml'), 'ex', images);

function observedFrom(state = desired): { containers: ContainerSummary[]; networks: NetworkSummary[] } {
  return {
    containers: state.hosts.map(
      (h) =>
        ({
          Id: h.name,
          Names: [`/${h.name}`],
          State: 'running',
          Labels: h.options.Labels,
        }) as ContainerSummary,
    ),
    networks: state.networks.map(
      (n) => ({ Id: n.name, Name: n.name, Labels: n.options.Labels }) as NetworkSummary,
    ),
  };
}

test('an empty engine gets every network and host created', () => {
  const diff = diffRange(desired, { containers: [], networks: [] });
  expect(diff.networks.create).toHaveLength(8);
  expect(diff.hosts.create).toHaveLength(12);
});

test('an engine in the desired state needs nothing', () => {
  const diff = diffRange(desired, observedFrom());
  expect(isEmptyDiff(diff)).toBe(true);
  expect(diff.hosts.keep).toHaveLength(12);
});

test('a stopped host is restarted, a changed one recreated, an unknown one removed', () => {
  const observed = observedFrom();
  observed.containers[0]!.State = 'exited';
  observed.containers[1]!.Labels = { ...observed.containers[1]!.Labels, [LABEL.configHash]: 'old' };
  observed.containers.push({
    Id: 'x',
    Names: ['/ex-t01-gone'],
    State: 'running',
    Labels: {},
  } as ContainerSummary);
  const diff = diffRange(desired, observed);
  expect(diff.hosts.restart.map((r) => r.spec.name)).toEqual([desired.hosts[0]!.name]);
  expect(diff.hosts.recreate.map((r) => r.spec.name)).toEqual([desired.hosts[1]!.name]);
  expect(diff.hosts.remove.map((c) => c.Id)).toEqual(['x']);
  expect(diff.hosts.keep).toHaveLength(10);
});

test('a recreated network recreates the hosts attached to it, including the firewall', () => {
  const observed = observedFrom();
  const staff = observed.networks.find((n) => n.Name === 'ex-t01-staff')!;
  staff.Labels = { ...staff.Labels, [LABEL.configHash]: 'old' };
  const diff = diffRange(desired, observed);
  expect(diff.networks.remove.map((n) => n.Name)).toEqual(['ex-t01-staff']);
  expect(diff.networks.create.map((n) => n.name)).toEqual(['ex-t01-staff']);
  expect(diff.hosts.recreate.map((r) => r.spec.host).sort()).toEqual(['fw', 'pc-01']);
});

test('a host created but never started (an interrupted up) is recreated, not just started', () => {
  const observed = observedFrom();
  observed.containers[0]!.State = 'created';
  const diff = diffRange(desired, observed);
  expect(diff.hosts.recreate.map((r) => r.spec.name)).toEqual([desired.hosts[0]!.name]);
  expect(diff.hosts.restart).toEqual([]);
});

test('duplicate networks left by an interrupted up are removed', () => {
  const observed = observedFrom();
  observed.networks.push({ ...observed.networks[0]!, Id: 'dup' });
  const diff = diffRange(desired, observed);
  expect(diff.networks.remove.map((n) => n.Id)).toEqual(['dup']);
  expect(diff.networks.create).toEqual([]);
});
