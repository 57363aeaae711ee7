/**
 * Response actions and probes against real containers: the driver fixture's one-team range
 * (firewall, proxy, C2, mail, DNS, one workstation) brought up with the range lifecycle under its
 * own exercise id and always torn down. A real beacon runs through Squid to the C2; blocking the
 * domain turns it into TCP_DENIED/403 and silences the C2, isolating the PC puts DROP rules on the
 * firewall, and every probe reads the containers themselves.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic } from '../../src/common/diagnostic';
import { compile } from '../../src/compiler/compile';
import type { Plan } from '../../src/compiler/plan';
import type { EngineEvent, StoredEvent } from '../../src/engine/events/event-types';
import type { Clients } from '../../src/range/docker/clients';
import { DockerHostDriver } from '../../src/range/driver/docker-host-driver';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { LiveProbes } from '../../src/response/live-probes';
import { rangeRestorer } from '../../src/response/live-restore';
import { ResponseActions } from '../../src/response/response-actions';
import { ResponseMonitor } from '../../src/response/response-monitor';
import { loadScenarioFile } from '../../src/scenario/load';
import {
  engineClients,
  eventually,
  exerciseId,
  FIXTURE,
  requireImages,
} from '../range-driver/support/driver-range';

jest.setTimeout(180_000);

const exercise = exerciseId('act');
const name = (host: string): string => `${exercise}-t01-${host}`;
let clients: Clients;
let plan: Plan;
let driver: DockerHostDriver;
let actions: ResponseActions;
let probes: LiveProbes;
const log: StoredEvent[] = [];

/**
 * The driver fixture moved to its own subnets (10.248.0.0/16, 198.19.248.0/24), so this suite
 * never clashes with the range-driver suite running at the same time on the same engine.
 */
function actionRangePlan(): Plan {
  const dir = mkdtempSync(join(tmpdir(), 'cyrange-actions-'));
  try {
    const file = join(dir, 'action-range.yaml');
    writeFileSync(
      file,
      readFileSync(FIXTURE, 'utf8').replaceAll('10.247.', '10.248.').replaceAll('198.19.200.', '198.19.248.'),
    );
    const result = loadScenarioFile(file, {});
    if (!result.scenario) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
    return compile(result.scenario, { parameters: result.parameters });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function sh(host: string, script: string): Promise<string> {
  return (await clients.exec.run(name(host), ['sh', '-c', script], { timeoutSec: 15 })).stdout;
}

function write(events: EngineEvent[]): StoredEvent[] {
  const out = events.map(
    (e) =>
      ({ ...e, session: 's', seq: log.length + 1, scenarioTime: 0, wallTime: Date.now() }) as StoredEvent,
  );
  log.push(...out);
  return out;
}

beforeAll(async () => {
  clients = await engineClients();
  plan = actionRangePlan();
  await requireImages(clients, plan);
  const up = await rangeUp(clients, plan, { exercise });
  expect(up.failed).toEqual([]);
  driver = await DockerHostDriver.connect(clients, exercise, plan);
  actions = new ResponseActions({
    plan,
    session: exercise,
    write,
    events: () => log,
    driver,
    restore: rangeRestorer(clients, plan, exercise),
    nonce: () => `${Date.now()}-${Math.random()}`,
  });
  probes = new LiveProbes(driver, plan, exercise, 3000, Date.now);
}, 600_000);

afterAll(async () => {
  await driver?.close();
  if (clients) {
    await rangeDown(clients, exercise);
    const filter = { label: [`${LABEL.exercise}=${exercise}`] };
    expect(await clients.containers.list(filter)).toEqual([]);
    expect(await clients.networks.list(filter)).toEqual([]);
  }
}, 120_000);

const pc = () => plan.teams[0]!.hosts.find((h) => h.name === 'pc-01')!;
const beacons = async () =>
  Number(
    (await sh('c2', `grep -cF '"forwarded": "${pc().ip}' /var/log/c2/beacons.log || true`)).trim() || '0',
  );

test('blocking the C2 domain at the proxy denies the beacon and silences the C2', async () => {
  await driver.startBackground(
    { team: 't01', host: 'pc-01' },
    {
      key: `${exercise}/beacon`,
      kind: 'beacon',
      url: 'http://update-check.example/gate',
      intervalMs: 1000,
      user: 'root',
    },
  );
  expect(await eventually(async () => ((await beacons()) >= 2 ? true : undefined), 30_000)).toBe(true);
  expect((await probes.containment('t01', { blocked: 'update-check.example' }))!.ok).toBe(false);

  const block = await actions.act('t01', 'bob', { action: 'proxy.block', domain: 'update-check.example' });
  expect(block.result).toMatchObject({ ok: true, fidelity: 'live' });
  expect(log.at(-1)!.payload).toMatchObject({
    action: 'proxy.block',
    detail: { domain: 'update-check.example' },
  });
  const denied = await eventually(async () => {
    const out = await sh(
      'proxy',
      'grep -c "TCP_DENIED/403.*update-check.example" /var/log/squid/access.log || true',
    );
    return Number(out.trim()) >= 2 ? true : undefined;
  }, 30_000);
  expect(denied).toBe(true);
  expect(await probes.containment('t01', { blocked: 'update-check.example' })).toMatchObject({ ok: true });
  // The C2 hears nothing more: the probe watches its log over a window.
  const first = await probes.containment('t01', { beaconStopped: 'pc-01' });
  expect(first!.ok).toBe(false);
  const stopped = await eventually(async () => {
    const v = await probes.containment('t01', { beaconStopped: 'pc-01' });
    return v!.ok ? v : undefined;
  }, 30_000);
  expect(stopped!.detail).toContain('no new beacon from pc-01');
});

test('isolating the PC puts DROP rules on the firewall; the undo removes them', async () => {
  expect((await probes.containment('t01', { isolated: 'pc-01' }))!.ok).toBe(false);
  const iso = await actions.act('t01', 'bob', { action: 'host.isolate', host: 'pc-01' });
  expect(iso.result).toMatchObject({ ok: true, fidelity: 'live' });
  const rules = await sh('fw', 'iptables -S FORWARD');
  expect(rules).toContain(`-A FORWARD -s ${pc().ip}/32 -m comment --comment cyrange-isolate -j DROP`);
  expect(rules).toContain(`-A FORWARD -d ${pc().ip}/32 -m comment --comment cyrange-isolate -j DROP`);
  expect(await probes.containment('t01', { isolated: 'pc-01' })).toMatchObject({ ok: true });
  // The PC can no longer reach the proxy.
  const proxy = plan.teams[0]!.hosts.find((h) => h.role === 'proxy')!;
  const reach = await clients.exec.run(name('pc-01'), ['nc', '-z', '-w', '2', proxy.ip, '3128'], {
    timeoutSec: 10,
  });
  expect(reach.exitCode).not.toBe(0);

  const undone = await actions.undo('t01', iso.id, 'white cell', 'wrong PC');
  expect(undone.undone).toMatchObject({ by: 'white cell', result: { ok: true } });
  expect(await sh('fw', 'iptables -S FORWARD')).not.toContain('cyrange-isolate');
  const back = await clients.exec.run(name('pc-01'), ['nc', '-z', '-w', '2', proxy.ip, '3128'], {
    timeoutSec: 10,
  });
  expect(back.exitCode).toBe(0);
});

test('kill a process, lock an account, collect evidence; services answer', async () => {
  await sh('pc-01', '(setsid sleep 7777 >/dev/null 2>&1 &) ; true');
  expect(
    await probes.containment('t01', { processKilled: { host: 'pc-01', name: 'sleep 7777' } }),
  ).toMatchObject({ ok: false });
  const kill = await actions.act('t01', 'bob', {
    action: 'process.kill',
    host: 'pc-01',
    process: 'sleep 7777',
  });
  expect(kill.result).toMatchObject({ ok: true, output: 'killed 1 process(es) matching sleep 7777' });
  expect(
    await probes.containment('t01', { processKilled: { host: 'pc-01', name: 'sleep 7777' } }),
  ).toMatchObject({ ok: true });
  const again = await actions.act('t01', 'bob', {
    action: 'process.kill',
    host: 'pc-01',
    process: 'sleep 7777',
  });
  expect(again.result.ok).toBe(false);
  expect((log.at(-1)!.payload as { action: string }).action).toBe('action.failed');

  await sh('pc-01', 'id -u k.sato >/dev/null 2>&1 || useradd -m k.sato; echo k.sato:pw | chpasswd');
  const lock = await actions.act('t01', 'bob', { action: 'account.disable', account: 'k.sato' });
  expect(lock.result).toMatchObject({ ok: true, fidelity: 'live' });
  expect(await sh('pc-01', 'passwd -S k.sato')).toMatch(/^k\.sato L /);
  expect(await probes.containment('t01', { accountDisabled: 'k.sato' })).toMatchObject({ ok: true });

  const hash = await actions.act('t01', 'bob', {
    action: 'evidence.collect',
    host: 'pc-01',
    kind: 'hash',
    path: '/etc/hostname',
  });
  expect(hash.result.output).toMatch(/^[0-9a-f]{64} {2}\/etc\/hostname$/);
  const ps = await actions.act('t01', 'bob', {
    action: 'evidence.collect',
    host: 'pc-01',
    kind: 'processes',
  });
  expect(ps.result.output).toContain('PID');

  const services = await probes.services('t01');
  expect(services.map((s) => [s.host, s.service, s.ok])).toEqual([
    ['proxy', 'proxy', true],
    ['mail', 'smtp', true],
    ['dns', 'dns', true],
  ]);
});

test("an outage the team caused is checked as the team's; the white cell's undo ends it", async () => {
  let now = 60;
  const monitor = new ResponseMonitor({
    plan,
    session: exercise,
    epochMs: 0,
    events: () => log,
    write,
    scenarioNow: () => now,
    driver,
    serviceRoundS: 60,
  });
  const iso = await actions.act('t01', 'bob', { action: 'host.isolate', host: 'proxy' });
  expect(iso.result.ok).toBe(true);
  const down = await monitor.round();
  expect(down.filter((e) => (e.payload as { host?: string }).host === 'proxy').map((e) => e.payload)).toEqual(
    [expect.objectContaining({ host: 'proxy', service: 'proxy', ok: false, cause: 'team' })],
  );
  await actions.undo('t01', iso.id, 'white cell', 'the proxy is not infected');
  now = 120;
  const up = await monitor.round();
  expect(up.filter((e) => (e.payload as { host?: string }).host === 'proxy').map((e) => e.payload)).toEqual([
    expect.objectContaining({ host: 'proxy', service: 'proxy', ok: true }),
  ]);
});

test('restoring a host recreates its container from the image through the range lifecycle', async () => {
  await sh('pc-01', 'mkdir -p /var/tmp/.updater && echo implant > /var/tmp/.updater/updater');
  const before = (await clients.containers.inspect(name('pc-01'))).Id;
  const restore = await actions.act('t01', 'bob', { action: 'host.restore', host: 'pc-01' });
  expect(restore.result).toMatchObject({
    ok: true,
    fidelity: 'live',
    changed: 'pc-01 recreated from its image and ready',
  });
  expect((await clients.containers.inspect(name('pc-01'))).Id).not.toBe(before);
  expect(await sh('pc-01', 'ls /var/tmp/.updater 2>&1 || true')).toContain('No such file');
});
