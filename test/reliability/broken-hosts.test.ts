/**
 * Participants break their own hosts — on the shared engine, two teams, from inside team t01's
 * containers through exec as a participant's shell would: kill its services, stop PID 1, fill
 * its disk. Each time the controller sees the breakage in `GET /api/range/health` (and as a
 * `range:health` push and a `range.host.state` fact) within seconds, restores the host through
 * `POST /api/range/hosts/{team}/{host}/restore`, and team t02's containers are untouched: same
 * ids, same start times, its web server still answers its workstation. Teardown then leaves zero
 * containers, networks and volumes, counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/cli/load-plan';
import { FILE_SIZE_LIMIT } from '../../src/range/desired-state';
import type { Clients, SizedContainer } from '../../src/range/docker/clients';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import type { HostHealth, RangeHealthView } from '../../src/wire/range-health';
import { engineClients, exerciseId, httpStatus } from '../range/support/live-range';
import { Client } from '../server/support/harness';
import { buildWeb, launchChromium } from '../web/support/web-harness';
import { type EngineExercise, eventually, startEngineExercise } from './support/engine-exercise';

const MiB = 1024 * 1024;
/** The disk guard's limit here; the fill below would write 40 × 200 MiB = 7.8 GiB without it. */
const DISK_LIMIT = 384 * MiB;
/** How fast a breakage must show in the health API. */
const SEE_WITHIN_MS = 15_000;

jest.setTimeout(170_000);

const plan = loadPlan(join(__dirname, 'support', 'engine-broken-range.yaml'));
const exercise = exerciseId('brk');
const filter = { label: [`${LABEL.exercise}=${exercise}`] };
const name = (team: string, host: string) => `${exercise}-${team}-${host}`;
let clients: Clients;
let ex: EngineExercise | undefined;
const figures: Record<string, number | string> = {};

interface Fingerprint {
  name: string;
  id: string;
  startedAt: string;
}

async function fingerprint(team: string): Promise<Fingerprint[]> {
  const listed = await clients.containers.list({ label: [...filter.label, `${LABEL.team}=${team}`] });
  const out: Fingerprint[] = [];
  for (const c of listed) {
    const info = await clients.containers.inspect(c.Id);
    out.push({ name: info.Name.replace(/^\//, ''), id: info.Id, startedAt: info.State.StartedAt });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function hostIn(view: RangeHealthView, team: string, host: string): HostHealth | undefined {
  return view.teams.find((t) => t.team === team)?.hosts.find((h) => h.host === host);
}

/** Waits until the health API shows `team/host` in `state`; returns the host and the time it took. */
async function seen(team: string, host: string, state: HostHealth['state'], since: number) {
  const h = await eventually(`${team}/${host} ${state} in GET /api/range/health`, SEE_WITHIN_MS, async () => {
    const found = hostIn(await ex!.health(), team, host);
    return found?.state === state ? found : undefined;
  });
  return { host: h, ms: Date.now() - since };
}

async function restore(team: string, host: string): Promise<number> {
  const t0 = Date.now();
  const r = await ex!.controller.req('POST', `/api/range/hosts/${team}/${host}/restore`, {});
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ team, host, ok: true });
  await seen(team, host, 'running', t0);
  return Date.now() - t0;
}

let t02Before: Fingerprint[];
const webDir = mkdtempSync(join(tmpdir(), 'cyrange-broken-web-'));
const webRoot = join(webDir, 'web');
let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
const t02Web = plan.teams.find((t) => t.id === 't02')!.hosts.find((h) => h.name === 'web')!.ip;

async function expectT02Untouched(): Promise<void> {
  expect(await fingerprint('t02')).toEqual(t02Before);
  expect(await httpStatus(clients, name('t02', 'pc-01'), `http://${t02Web}/`)).toBe('200');
  const view = await ex!.health();
  expect(view.teams.find((t) => t.team === 't02')!.hosts.map((h) => h.state)).toEqual([
    'running',
    'running',
    'running',
  ]);
}

beforeAll(async () => {
  clients = await engineClients();
  const up = await rangeUp(clients, plan, { exercise });
  expect(up.failed).toEqual([]);
  buildWeb(webRoot);
  ex = await startEngineExercise(clients, plan, exercise, { diskLimitBytes: DISK_LIMIT }, { webRoot });
  await eventually('first health look', 10_000, async () =>
    (await ex!.health()).checkedAt > 0 ? true : undefined,
  );
  t02Before = await fingerprint('t02');
  expect(t02Before).toHaveLength(3);
}, 150_000);

afterAll(async () => {
  await chromium?.close();
  rmSync(webDir, { recursive: true, force: true });
  await ex?.close();
  await rangeDown(clients, exercise);
  if (Object.keys(figures).length) process.stderr.write(`broken-hosts figures: ${JSON.stringify(figures)}\n`);
}, 120_000);

test('the health API shows every live host running, simulated counts, and staff only', async () => {
  const view = await ex!.health();
  expect(view.exercise).toBe(exercise);
  expect(view.engine.state).toBe('connected');
  for (const team of view.teams) {
    expect(team).toMatchObject({ live: 3, up: 3, simulated: 4, isolated: 0 });
    expect(team.hosts.map((h) => `${h.host}:${h.state}`).sort()).toEqual([
      'fw:running',
      'pc-01:running',
      'web:running',
    ]);
  }
  const t01 = ex!.server.createJoinLink({ role: 'team', team: 't01' });
  const team = await Client.join(ex!.url, t01.token);
  expect((await team.req('GET', '/api/range/health')).status).toBe(403);
  expect((await team.req('POST', '/api/range/hosts/t01/web/restore', {})).status).toBe(403);
  expect((await ex!.controller.req('POST', '/api/range/hosts/t01/pc-sim-01/restore', {})).status).toBe(404);
  expect((await ex!.controller.req('POST', '/api/range/hosts/t09/web/restore', {})).status).toBe(404);
});

test('killing its services: unhealthy within seconds, restored, the other team untouched', async () => {
  const t0 = Date.now();
  const kill = await clients.exec.run(name('t01', 'pc-01'), ['pkill', '-x', 'rsyslogd'], { timeoutSec: 10 });
  expect(kill.exitCode).toBe(0);
  const { host, ms } = await seen('t01', 'pc-01', 'unhealthy', t0);
  expect(host.detail).toMatch(/service check failed/);
  figures.killServicesSeenMs = ms;
  expect(ex!.pushes.some((p) => hostIn(p, 't01', 'pc-01')?.state === 'unhealthy')).toBe(true);
  expect(
    ex!
      .events('range.host.state')
      .some((e) => e.team === 't01' && (e.payload as { host: string }).host === 'pc-01'),
  ).toBe(true);
  figures.killServicesRestoreMs = await restore('t01', 'pc-01');
  expect(ex!.events('range.host.restored').length).toBeGreaterThanOrEqual(1);
  await expectT02Untouched();
});

test('stopping PID 1: stopped within seconds, restored, the other team untouched', async () => {
  const t0 = Date.now();
  // tini is PID 1 (Init: true): it passes TERM on to nginx, which exits, and the container stops.
  await clients.exec
    .run(name('t01', 'web'), ['kill', '-TERM', '1'], { timeoutSec: 10 })
    .catch(() => undefined);
  const { ms } = await seen('t01', 'web', 'stopped', t0);
  figures.stopPid1SeenMs = ms;
  figures.stopPid1RestoreMs = await restore('t01', 'web');
  expect(
    await httpStatus(
      clients,
      name('t01', 'pc-01'),
      `http://${plan.teams[0]!.hosts.find((h) => h.name === 'web')!.ip}/`,
    ),
  ).toBe('200');
  await expectT02Untouched();
});

test('filling its disk: no file passes the size limit, the disk guard stops the host, restored', async () => {
  const pc = name('t01', 'pc-01');
  // One big file stops at RLIMIT_FSIZE, which root in the container cannot raise.
  const big = await clients.exec.run(
    pc,
    [
      'sh',
      '-c',
      'dd if=/dev/zero of=/var/tmp/big bs=1M count=400 2>&1; stat -c %s /var/tmp/big; rm -f /var/tmp/big',
    ],
    { timeoutSec: 30 },
  );
  expect(Number(big.stdout.trim().split('\n').pop())).toBe(FILE_SIZE_LIMIT);
  // Many files below the limit: only the disk guard stops this (it would write 7.8 GiB).
  const t0 = Date.now();
  const fill = clients.exec
    .run(
      pc,
      [
        'sh',
        '-c',
        'i=0; while [ $i -lt 40 ]; do dd if=/dev/zero of=/var/tmp/f$i bs=1M count=200 2>/dev/null; i=$((i+1)); done',
      ],
      { timeoutSec: 60 },
    )
    .catch((e: Error) => ({ exitCode: -1, stdout: '', stderr: e.message }));
  const { host, ms } = await seen('t01', 'pc-01', 'stopped', t0);
  await fill;
  expect(host.detail).toMatch(/disk guard/);
  const [after] = (await clients.containers.listWithSize({
    label: [`${LABEL.exercise}=${exercise}`],
    name: [pc],
  })) as SizedContainer[];
  const written = after?.SizeRw ?? 0;
  figures.diskGuardStoppedAfterMs = ms;
  figures.diskWrittenMiB = Math.round(written / MiB);
  figures.diskLimitMiB = DISK_LIMIT / MiB;
  expect(written).toBeGreaterThan(DISK_LIMIT);
  // The guard looks every 500 ms; at ~1 GB/s the overshoot is what is written until it looks (and
  // the look takes longer on a loaded engine). Unguarded: 7.8 GiB.
  expect(written).toBeLessThan(DISK_LIMIT + 3072 * MiB);
  const fact = ex!.events('range.host.disk-limit').find((e) => e.team === 't01');
  expect(fact?.payload).toMatchObject({ host: 'pc-01', limit: DISK_LIMIT });
  figures.diskRestoreMs = await restore('t01', 'pc-01');
  const [fresh] = await clients.containers.listWithSize({
    label: [`${LABEL.exercise}=${exercise}`],
    name: [pc],
  });
  expect(fresh?.SizeRw ?? 0).toBeLessThan(16 * MiB);
  await expectT02Untouched();
});

test("a team's own host.restore action goes through the same restore", async () => {
  const team = await Client.join(ex!.url, ex!.server.createJoinLink({ role: 'team', team: 't01' }).token);
  await clients.exec.run(name('t01', 'pc-01'), ['pkill', '-x', 'rsyslogd'], { timeoutSec: 10 });
  await seen('t01', 'pc-01', 'unhealthy', Date.now());
  const r = await team.req('POST', '/api/teams/t01/actions', {
    action: 'host.restore',
    host: 'pc-01',
    reason: 'syslog gone',
  });
  team.disconnect();
  expect(r.status).toBe(201);
  expect(r.body.action.result.ok).toBe(true);
  await seen('t01', 'pc-01', 'running', Date.now());
  await expectT02Untouched();
});

test('the controller console shows the host grid, the breakage, and restores with a confirm', async () => {
  chromium = await launchChromium();
  const page = await chromium.browser.newPage();
  page.setDefaultTimeout(SEE_WITHIN_MS);
  const errors: Error[] = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(ex!.server.createJoinLink({ role: 'controller', label: 'controller' }).url);
  await page.waitForURL('**/controller');
  const tile = (team: string, host: string) => page.locator(`#range-health [data-host="${team}/${host}"]`);
  await page.locator('#engine-state', { hasText: 'connected' }).waitFor();
  for (const team of ['t01', 't02'])
    for (const host of ['fw', 'web', 'pc-01'])
      await tile(team, host).and(page.locator('[data-state="running"]')).waitFor();
  await page
    .locator('.range-team[data-team="t01"] .range-counts', {
      hasText: '3/3 live hosts up · 4 simulated · 0 isolated',
    })
    .waitFor();

  // A participant kills the workstation's syslog: the tile turns unhealthy by itself (push), with why.
  await clients.exec.run(name('t01', 'pc-01'), ['pkill', '-x', 'rsyslogd'], { timeoutSec: 10 });
  await tile('t01', 'pc-01').and(page.locator('[data-state="unhealthy"]')).waitFor();
  await tile('t01', 'pc-01')
    .getByText(/service check failed/)
    .waitFor();
  if (process.env.CYRANGE_SCREENSHOT_DIR) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page
      .locator('.range-card')
      .screenshot({ path: join(process.env.CYRANGE_SCREENSHOT_DIR, 'controller-range.png') });
  }
  expect(await tile('t01', 'pc-01').getByText('unhealthy', { exact: true }).count()).toBe(1);

  // Restore asks first; dismissing it does nothing, accepting it restores and says so.
  page.once('dialog', (d) => void d.dismiss());
  await page.click('[data-restore="t01/pc-01"]');
  await tile('t01', 'pc-01').and(page.locator('[data-state="unhealthy"]')).waitFor();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.accept();
  });
  await page.click('[data-restore="t01/pc-01"]');
  await page.locator('.range-card .status.ok', { hasText: 't01/pc-01' }).waitFor({ timeout: 60_000 });
  expect(asked).toMatch(/pc-01.*t01/);
  await tile('t01', 'pc-01').and(page.locator('[data-state="running"]')).waitFor();
  expect(errors).toEqual([]);
  await expectT02Untouched();
});

test('teardown leaves zero containers, networks and volumes of the exercise', async () => {
  const volumes = new Set<string>();
  for (const c of await clients.containers.list(filter))
    for (const m of c.Mounts ?? []) if (m.Type === 'volume' && m.Name) volumes.add(m.Name);
  await ex!.close();
  ex = undefined;
  const down = await rangeDown(clients, exercise);
  figures.teardownContainers = down.containers;
  const containers = await clients.containers.list(filter);
  const networks = await clients.networks.list(filter);
  const labelled = await clients.volumes.list(filter);
  const anonymous = (await clients.volumes.list({})).filter((v) => volumes.has(v.Name));
  expect({
    containers: containers.length,
    networks: networks.length,
    volumes: labelled.length + anonymous.length,
  }).toEqual({
    containers: 0,
    networks: 0,
    volumes: 0,
  });
});
