/**
 * The Swarm backend on a single-node swarm: the fixture deployed as services on internal overlay
 * networks, ready by task state and role check, routed through the team firewall; a second deploy
 * changes nothing; a changed plan updates only the difference; teardown leaves nothing.
 */
import { execFileSync } from 'node:child_process';
import type { Plan } from '../../src/compiler/plan';
import type { Clients } from '../../src/range/docker/clients';
import { LABEL } from '../../src/range/labels';
import { swarmDown } from '../../src/range/swarm/swarm-down';
import { observeSwarm, serviceLabels } from '../../src/range/swarm/swarm-observe';
import { swarmStatus } from '../../src/range/swarm/swarm-status';
import { swarmUp } from '../../src/range/swarm/swarm-up';
import { currentTask, taskAddresses } from '../../src/range/swarm/task-state';
import { canConnect, engineClients, exerciseId, fixturePlan } from '../range/support/live-range';
import { joinSingleNodeSwarm, leaveSingleNodeSwarm, type TestSwarm } from './support/single-node-swarm';

jest.setTimeout(240_000);

const exercise = exerciseId('sw');
const name = (host: string) => `${exercise}-t01-${host}`;
let clients: Clients;
let swarm: TestSwarm = { initialised: false, madeGatewayBridge: false };

function plan(): Plan {
  return fixturePlan('../../range-swarm/fixtures/swarm-range.yaml');
}

async function containerOf(host: string): Promise<string> {
  const task = await currentTask(clients, name(host));
  const id = task?.Status?.ContainerStatus?.ContainerID;
  if (!id) throw new Error(`no running task for ${host}`);
  return id;
}

async function addressesOf(host: string): Promise<Map<string, string>> {
  const task = await currentTask(clients, name(host));
  if (!task) throw new Error(`no task for ${host}`);
  return taskAddresses(task);
}

function labelled(kind: 'ps' | 'network'): string[] {
  const args = kind === 'ps' ? ['ps', '-aq'] : ['network', 'ls', '-q'];
  return execFileSync('docker', [...args, '--filter', `label=${LABEL.exercise}=${exercise}`], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}

beforeAll(async () => {
  swarm = joinSingleNodeSwarm();
  clients = await engineClients();
});

afterAll(async () => {
  try {
    if (clients) await swarmDown(clients, exercise);
  } finally {
    await leaveSingleNodeSwarm(swarm);
  }
});

test('deploys the plan as labelled services on internal overlay networks, ready and routed', async () => {
  const result = await swarmUp(clients, plan(), { exercise });
  expect(result.failed).toEqual([]);
  expect(result.ready.sort()).toEqual([name('fw'), name('logs'), name('pc-01'), name('web')].sort());

  const observed = await observeSwarm(clients, exercise);
  expect(observed.services).toHaveLength(4);
  for (const s of observed.services) {
    const labels = serviceLabels(s);
    expect(labels[LABEL.exercise]).toBe(exercise);
    expect(labels[LABEL.team]).toBe('t01');
    expect(name(labels[LABEL.host] ?? '')).toBe(s.Spec?.Name);
    expect(labels[LABEL.role]).toBeTruthy();
    expect(labels[LABEL.configHash]).toMatch(/^[0-9a-f]{12}$/);
    expect(s.Spec?.Mode?.Replicated?.Replicas).toBe(1);
    const container = (
      s.Spec?.TaskTemplate as {
        ContainerSpec?: { CapabilityDrop?: string[]; Labels?: Record<string, string> };
      }
    )?.ContainerSpec;
    expect(container?.CapabilityDrop).toEqual(['ALL']);
    expect(container?.Labels?.[LABEL.exercise]).toBe(exercise);
  }
  const networks = observed.networks.map((n) => ({
    name: n.Name,
    driver: n.Driver,
    internal: n.Internal,
    attachable: n.Attachable,
    subnet: n.IPAM?.Config?.[0]?.Subnet,
  }));
  expect(networks.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { name: name('servers'), driver: 'overlay', internal: true, attachable: true, subnet: '10.246.2.0/24' },
    { name: name('staff'), driver: 'overlay', internal: true, attachable: true, subnet: '10.246.16.0/24' },
  ]);
  // Every task runs, and its container carries the range labels.
  expect(labelled('ps')).toHaveLength(4);
  const status = await swarmStatus(clients, exercise, plan());
  expect(status.map((h) => h.state)).toEqual(['running', 'running', 'running', 'running']);

  // The workstation's default route is the firewall's task address on its segment; the policy holds.
  const fwStaff = (await addressesOf('fw')).get(name('staff'));
  const pc = await containerOf('pc-01');
  // Internal overlay only: no docker_gwbridge interface, so no address outside its segment.
  const addrs = (await clients.exec.run(pc, ['ip', '-4', '-o', 'addr', 'show'])).stdout
    .split('\n')
    .flatMap((line) => /inet (\S+)\//.exec(line)?.[1] ?? [])
    .filter((ip) => ip !== '127.0.0.1');
  expect(addrs.length).toBeGreaterThan(0);
  for (const ip of addrs) expect(ip).toMatch(/^10\.246\.16\./);
  const route = await clients.exec.run(pc, ['ip', 'route', 'show', 'default']);
  expect(route.stdout).toContain(`via ${fwStaff} `);
  const web = (await addressesOf('web')).get(name('servers')) ?? '';
  const logs = (await addressesOf('logs')).get(name('servers')) ?? '';
  expect(web).toMatch(/^10\.246\.2\./);
  expect(await canConnect(clients, pc, web, 80)).toBe(true);
  expect(await canConnect(clients, pc, logs, 514)).toBe(false); // only UDP 514 is allowed
});

test('a second deploy changes nothing', async () => {
  const before = new Map(
    (await observeSwarm(clients, exercise)).services.map((s) => [s.ID, s.Version?.Index]),
  );
  const result = await swarmUp(clients, plan(), { exercise });
  expect(result).toMatchObject({ created: 0, recreated: 0, restarted: 0, removed: 0, kept: 4, failed: [] });
  expect(result.networks).toEqual({ created: 0, removed: 0, kept: 2 });
  const after = new Map(
    (await observeSwarm(clients, exercise)).services.map((s) => [s.ID, s.Version?.Index]),
  );
  expect(after).toEqual(before);
});

test('a task killed by hand shows in status and the next deploy gives it a new task', async () => {
  execFileSync('docker', ['kill', await containerOf('web')], { stdio: 'ignore', timeout: 30_000 });
  let state = 'running';
  for (let i = 0; i < 40 && state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 250));
    state = (await swarmStatus(clients, exercise)).find((h) => h.host === 'web')?.state ?? 'gone';
  }
  expect(state).not.toBe('running');
  const result = await swarmUp(clients, plan(), { exercise });
  expect(result).toMatchObject({ created: 0, recreated: 0, restarted: 1, kept: 3, failed: [] });
  expect((await swarmStatus(clients, exercise)).map((h) => h.state)).toEqual([
    'running',
    'running',
    'running',
    'running',
  ]);
});

test('a changed plan updates only the service that changed', async () => {
  const before = new Map(
    (await observeSwarm(clients, exercise)).services.map((s) => [s.Spec?.Name, s.Version?.Index]),
  );
  const changed = plan();
  const pc = changed.teams[0]?.hosts.find((h) => h.name === 'pc-01');
  if (!pc) throw new Error('fixture has no pc-01');
  pc.resources = { ...pc.resources, memoryMb: pc.resources.memoryMb + 64 };
  const result = await swarmUp(clients, changed, { exercise });
  expect(result).toMatchObject({ created: 0, recreated: 1, removed: 0, kept: 3, failed: [] });
  const after = (await observeSwarm(clients, exercise)).services;
  for (const s of after) {
    if (s.Spec?.Name === name('pc-01')) {
      expect(s.Version?.Index).not.toBe(before.get(s.Spec?.Name));
      expect(s.Spec?.TaskTemplate?.Resources?.Limits?.MemoryBytes).toBe(pc.resources.memoryMb * 1024 * 1024);
    } else expect(s.Version?.Index).toBe(before.get(s.Spec?.Name));
  }
});

test('teardown by label leaves no service, container or network', async () => {
  const result = await swarmDown(clients, exercise);
  expect(result.containers).toBe(4);
  expect(result.networks).toBe(2);
  const observed = await observeSwarm(clients, exercise);
  expect(observed.services).toEqual([]);
  expect(observed.networks).toEqual([]);
  // Task containers go asynchronously after their service; bounded wait.
  for (let i = 0; i < 60 && labelled('ps').length; i++) await new Promise((r) => setTimeout(r, 500));
  expect(labelled('ps')).toEqual([]);
  expect(labelled('network')).toEqual([]);
  expect(await swarmDown(clients, exercise)).toMatchObject({ containers: 0, networks: 0 });
});
