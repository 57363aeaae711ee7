/**
 * The live range on the real engine, end to end: `up` → resources with labels, addresses and hardening →
 * the firewall enforces the policy → nothing reaches the host, the outside or another team → a second
 * `up` changes nothing → a changed plan reconciles only the difference → a killed host is seen and
 * restarted → `down` leaves nothing. Needs the range images (`npm run images`; built here otherwise).
 */
import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Plan } from '../../src/compiler/plan';
import type { Clients } from '../../src/range/docker/clients';
import { CAPS_FOR_IMAGE, IMAGE_FOR_ROLE, ROUTE_CAPS } from '../../src/range/images/image-catalog';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeStatus } from '../../src/range/lifecycle/range-status';
import { rangeUp, type UpResult } from '../../src/range/lifecycle/range-up';
import { canConnect, engineClients, exerciseId, fixturePlan, httpStatus } from './support/live-range';

jest.setTimeout(120_000);

const exercise = exerciseId('live');
let clients: Clients;
let plan: Plan;
let first: UpResult;

const name = (team: string, host: string): string => `${exercise}-${team}-${host}`;
const ipOf = (team: string, host: string): string => {
  const found = plan.teams.find((t) => t.id === team)?.hosts.find((h) => h.name === host);
  if (!found) throw new Error(`no ${host} in ${team}`);
  return found.ip;
};

beforeAll(async () => {
  clients = await engineClients();
  plan = fixturePlan('small-range.yaml');
  first = await rangeUp(clients, plan, { exercise });
}, 600_000);

afterAll(async () => {
  if (clients) await rangeDown(clients, exercise);
}, 120_000);

describe('up', () => {
  test('every live host of both teams is ready', () => {
    expect(first.failed).toEqual([]);
    expect(first.ready).toHaveLength(12);
    expect(first.networks.created).toBe(8);
  });

  test('containers are named <exercise>-<team>-<host>, labelled, and hold the plan addresses', async () => {
    for (const team of plan.teams) {
      for (const host of team.hosts.filter((h) => h.fidelity === 'live')) {
        const info = await clients.containers.inspect(name(team.id, host.name));
        expect(info.State.Running).toBe(true);
        expect(info.Config.Labels).toMatchObject({
          [LABEL.exercise]: exercise,
          [LABEL.team]: team.id,
          [LABEL.host]: host.name,
          [LABEL.role]: host.role,
        });
        for (const iface of host.interfaces) {
          const network = info.NetworkSettings.Networks[`${exercise}-${team.id}-${iface.segment}`];
          expect(network?.IPAddress).toBe(iface.ip);
        }
      }
    }
  });

  test('networks are Internal, labelled, with the plan subnet and no address on the host side', async () => {
    const networks = await clients.networks.list({ label: [`${LABEL.exercise}=${exercise}`] });
    expect(networks).toHaveLength(8);
    for (const team of plan.teams) {
      for (const segment of team.segments) {
        const network = networks.find((n) => n.Name === `${exercise}-${team.id}-${segment.id}`);
        expect(network?.Internal).toBe(true);
        expect(network?.IPAM?.Config?.[0]?.Subnet).toBe(segment.cidr);
        expect(network?.Labels).toMatchObject({ [LABEL.exercise]: exercise, [LABEL.team]: team.id });
        expect(network?.Options?.['com.docker.network.bridge.inhibit_ipv4']).toBe('true');
      }
    }
  });

  test('every host is hardened: unprivileged, only its role caps, no-new-privileges, limits, no mounts', async () => {
    for (const host of plan.teams[0]!.hosts.filter((h) => h.fidelity === 'live')) {
      const info = await clients.containers.inspect(name('t01', host.name));
      const hc = info.HostConfig;
      const image = IMAGE_FOR_ROLE[host.role];
      const expected = new Set([...CAPS_FOR_IMAGE[image], ...(host.role === 'firewall' ? [] : ROUTE_CAPS)]);
      expect(hc.Privileged).toBe(false);
      expect(hc.CapDrop).toEqual(['ALL']);
      expect(new Set(hc.CapAdd)).toEqual(expected);
      expect(hc.SecurityOpt).toContain('no-new-privileges');
      expect(hc.Memory).toBe(host.resources.memoryMb * 1024 * 1024);
      expect(hc.NanoCpus).toBeGreaterThan(0);
      expect(hc.PidsLimit).toBe(host.resources.pids);
      expect(info.Mounts).toEqual([]);
      expect(hc.Binds ?? []).toEqual([]);
      const socket = await clients.exec.run(name('t01', host.name), [
        'sh',
        '-c',
        'test -e /var/run/docker.sock || test -e /run/docker.sock',
      ]);
      expect(socket.exitCode).not.toBe(0);
    }
  });

  test("a host's service runs without the capability to change routes", async () => {
    const status = await clients.exec.run(name('t01', 'pc-01'), [
      'sh',
      '-c',
      'grep CapBnd /proc/$(pgrep -o -x rsyslogd)/status',
    ]);
    const bounding = BigInt(`0x${status.stdout.trim().split(/\s+/)[1]}`);
    const NET_ADMIN = 1n << 12n;
    expect(bounding & NET_ADMIN).toBe(0n);
  });

  test('a confined shell (as participants get) cannot change routes either', async () => {
    const result = await clients.exec.run(
      name('t01', 'pc-01'),
      ['ip', 'route', 'replace', 'default', 'via', ipOf('t01', 'pc-01')],
      { dropRouteCaps: true },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/Operation not permitted/);
    const routes = await clients.exec.run(name('t01', 'pc-01'), ['ip', 'route', 'show', 'default']);
    expect(routes.stdout).toContain(`via ${plan.teams[0]!.segments.find((s) => s.id === 'staff')!.gateway}`);
  });
});

describe('firewall', () => {
  test('allows what the policy allows', async () => {
    const pc = name('t01', 'pc-01');
    expect(await httpStatus(clients, pc, `http://${ipOf('t01', 'web')}/`)).toBe('200');
    expect(await httpStatus(clients, pc, 'http://web.corp.range.example/')).toBe('200');
    expect(await canConnect(clients, pc, ipOf('t01', 'proxy'), 3128)).toBe(true);
    expect(await canConnect(clients, name('t01', 'proxy'), ipOf('t01', 'c2'), 80)).toBe(true);
  });

  test('web traffic to the internet goes through the proxy and reaches the C2, which records it', async () => {
    const pc = name('t01', 'pc-01');
    const proxy = `http://${ipOf('t01', 'proxy')}:3128`;
    expect(await httpStatus(clients, pc, 'http://update-check.example/beacon?id=42', proxy)).toBe('200');
    const beacons = await clients.exec.run(name('t01', 'c2'), ['cat', '/var/log/c2/beacons.log']);
    expect(beacons.stdout).toContain('/beacon?id=42');
    const access = await clients.exec.run(name('t01', 'proxy'), ['cat', '/var/log/squid/access.log']);
    expect(access.stdout).toContain('update-check.example/beacon?id=42');
  });

  test("every host's syslog reaches the team's log collector", async () => {
    await clients.exec.run(name('t01', 'pc-01'), ['logger', '-t', 'range-test', 'hello collector']);
    let text = '';
    for (let i = 0; i < 20 && !text.includes('hello collector'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      text = (
        await clients.exec.run(name('t01', 'logs'), ['sh', '-c', 'cat /var/log/remote/pc-01.log 2>/dev/null'])
      ).stdout;
    }
    expect(text).toContain('range-test: hello collector');
  });

  test('denies the rest', async () => {
    // Straight to the C2 (only the proxy may open connections to the internet).
    expect(await canConnect(clients, name('t01', 'pc-01'), ipOf('t01', 'c2'), 80)).toBe(false);
    // dmz → servers and internet → servers are not in the policy.
    expect(await canConnect(clients, name('t01', 'proxy'), ipOf('t01', 'web'), 80)).toBe(false);
    expect(await canConnect(clients, name('t01', 'c2'), ipOf('t01', 'web'), 80)).toBe(false);
    // staff → dmz only on 3128.
    expect(await canConnect(clients, name('t01', 'pc-01'), ipOf('t01', 'proxy'), 22)).toBe(false);
  });
});

describe('isolation', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => socket.end('host\n'));
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("a range host cannot reach the engine's host on any of its addresses", async () => {
    const hostAddresses = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4')
      .map((a) => a!.address);
    expect(hostAddresses.length).toBeGreaterThan(0);
    for (const container of [name('t01', 'pc-01'), name('t01', 'fw')]) {
      for (const address of hostAddresses) {
        if (address.startsWith('127.')) continue;
        expect(await canConnect(clients, container, address, port)).toBe(false);
      }
    }
  });

  test('a range host cannot reach the outside', async () => {
    // 192.0.2.1 is TEST-NET-1: never answered anywhere, so a failure to block it leaks nothing.
    expect(await canConnect(clients, name('t01', 'pc-01'), '192.0.2.1', 80)).toBe(false);
    expect(await canConnect(clients, name('t01', 'proxy'), '192.0.2.1', 80)).toBe(false);
    expect(await canConnect(clients, name('t01', 'fw'), '192.0.2.1', 80)).toBe(false);
  });

  test("a range host cannot reach another team's hosts, while that team reaches them", async () => {
    expect(await canConnect(clients, name('t02', 'pc-01'), ipOf('t02', 'web'), 80)).toBe(true);
    expect(await canConnect(clients, name('t01', 'pc-01'), ipOf('t02', 'web'), 80)).toBe(false);
    expect(await canConnect(clients, name('t01', 'fw'), ipOf('t02', 'web'), 80)).toBe(false);
  });
});

describe('reconcile', () => {
  const ids = async (): Promise<Map<string, string>> =>
    new Map(
      (await clients.containers.list({ label: [`${LABEL.exercise}=${exercise}`] })).map((c) => [
        c.Names[0]!,
        c.Id,
      ]),
    );

  test('a second up changes nothing', async () => {
    const before = await ids();
    const again = await rangeUp(clients, plan, { exercise });
    expect(again).toMatchObject({ created: 0, recreated: 0, restarted: 0, removed: 0, kept: 12 });
    expect(again.networks).toEqual({ created: 0, removed: 0, kept: 8 });
    expect(await ids()).toEqual(before);
  });

  test('a host killed by hand is reported by status and restarted by up', async () => {
    await clients.engine.api.getContainer(name('t02', 'pc-01')).kill();
    const status = await rangeStatus(clients, exercise);
    expect(status.find((h) => h.name === name('t02', 'pc-01'))?.state).not.toBe('running');
    expect(status.filter((h) => h.state === 'running')).toHaveLength(11);
    const again = await rangeUp(clients, plan, { exercise });
    expect(again).toMatchObject({ created: 0, recreated: 0, restarted: 1, removed: 0, kept: 11 });
    expect(again.failed).toEqual([]);
  });

  test('a changed plan creates, removes and recreates only the difference', async () => {
    const before = await ids();
    // One team fewer, and more memory for team 1's web server.
    const changed: Plan = structuredClone(plan);
    changed.teams = changed.teams.slice(0, 1);
    const web = changed.teams[0]!.hosts.find((h) => h.name === 'web')!;
    web.resources = { ...web.resources, memoryMb: web.resources.memoryMb + 64 };
    const result = await rangeUp(clients, changed, { exercise });
    expect(result).toMatchObject({ created: 0, recreated: 1, restarted: 0, removed: 6, kept: 5, failed: [] });
    expect(result.networks).toEqual({ created: 0, removed: 4, kept: 4 });
    const after = await ids();
    expect([...after.keys()].filter((n) => n.includes('-t02-'))).toEqual([]);
    expect(after.get(`/${name('t01', 'web')}`)).not.toBe(before.get(`/${name('t01', 'web')}`));
    for (const host of ['fw', 'pc-01', 'proxy', 'logs', 'c2']) {
      expect(after.get(`/${name('t01', host)}`)).toBe(before.get(`/${name('t01', host)}`));
    }
    const web2 = await clients.containers.inspect(name('t01', 'web'));
    expect(web2.HostConfig.Memory).toBe(web.resources.memoryMb * 1024 * 1024);

    const back = await rangeUp(clients, plan, { exercise });
    expect(back).toMatchObject({ created: 6, recreated: 1, removed: 0, kept: 5, failed: [] });
    expect(back.networks).toEqual({ created: 4, removed: 0, kept: 4 });
  });
});

describe('down', () => {
  test('leaves no container, network or volume of the exercise', async () => {
    const result = await rangeDown(clients, exercise);
    expect(result.containers).toBe(12);
    const filter = { label: [`${LABEL.exercise}=${exercise}`] };
    expect(await clients.containers.list(filter)).toEqual([]);
    expect(await clients.networks.list(filter)).toEqual([]);
    expect(await clients.volumes.list(filter)).toEqual([]);
    expect((await rangeDown(clients, exercise)).containers).toBe(0);
  });
});
