/**
 * The Docker host driver and the live log collector against the real engine, on a one-team range
 * (firewall, proxy, C2, mail, DNS, workstation) brought up with the range's own lifecycle functions.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import type { Plan } from '../../src/compiler/plan';
import { SessionRunner } from '../../src/engine/session/session-runner';
import { EventStore } from '../../src/engine/store/event-store';
import type { Clients } from '../../src/range/docker/clients';
import { DockerHostDriver } from '../../src/range/driver/docker-host-driver';
import { collectedKeys, LiveLogCollector } from '../../src/range/driver/live-log-collector';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { tempDir } from '../engine/support/temp-dir';
import {
  engineClients,
  eventually,
  exerciseId,
  FIXTURE,
  fixturePlan,
  requireImages,
  sleep,
} from './support/driver-range';

jest.setTimeout(120_000);

const exercise = exerciseId('drv');
const pc = { team: 't01', host: 'pc-01' };
const name = (host: string): string => `${exercise}-t01-${host}`;
const unique = `${process.pid}-${Date.now()}`;
let clients: Clients;
let plan: Plan;
let driver: DockerHostDriver;
const dir = tempDir('range-driver');

async function sh(host: string, script: string): Promise<string> {
  return (await clients.exec.run(name(host), ['sh', '-c', script], { timeoutSec: 15 })).stdout;
}

/** Lines of `file` on `host` containing `needle`. */
async function count(host: string, file: string, needle: string): Promise<number> {
  return Number((await sh(host, `grep -cF -- '${needle}' ${file} || true`)).trim() || '0');
}

beforeAll(async () => {
  clients = await engineClients();
  plan = fixturePlan();
  await requireImages(clients, plan);
  const up = await rangeUp(clients, plan, { exercise });
  expect(up.failed).toEqual([]);
  driver = await DockerHostDriver.connect(clients, exercise, plan);
}, 600_000);

afterAll(async () => {
  await driver?.close();
  if (clients) {
    await rangeDown(clients, exercise);
    const filter = { label: [`${LABEL.exercise}=${exercise}`] };
    expect(await clients.containers.list(filter)).toEqual([]);
    expect(await clients.networks.list(filter)).toEqual([]);
  }
  dir.remove();
}, 120_000);

describe('exec', () => {
  test('returns demultiplexed output and the exit code, as the given person', async () => {
    // `victim` is the scenario's person id; the command runs as their account.
    const r = await driver.exec(pc, ['sh', '-c', 'echo out; echo err >&2; id -un; exit 3'], {
      key: `${unique}/exec/1`,
      user: 'victim',
      timeoutMs: 10_000,
    });
    expect(r).toEqual({ exitCode: 3, stdout: 'out\nk.sato\n', stderr: 'err\n', timedOut: false });
  });

  test('is killed inside the container at its timeout', async () => {
    const started = Date.now();
    const r = await driver.exec(pc, ['sleep', '47'], {
      key: `${unique}/exec/2`,
      user: 'root',
      timeoutMs: 1_000,
    });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(await sh('pc-01', 'ps -eo args')).not.toContain('sleep 47');
  });

  test('a replayed key returns the first result without running again', async () => {
    const argv = ['sh', '-c', 'echo once >>/tmp/replay; wc -l </tmp/replay'];
    const opts = { key: `${unique}/exec/3`, user: 'root', timeoutMs: 5_000 };
    const first = await driver.exec(pc, argv, opts);
    const again = await driver.exec(pc, argv, opts);
    expect(again).toEqual(first);
    expect((await sh('pc-01', 'wc -l </tmp/replay')).trim()).toBe('1');
  });

  test('a host the range does not have fails with the fix', async () => {
    await expect(
      driver.exec({ team: 't01', host: 'nope' }, ['true'], { key: `${unique}/x`, user: '', timeoutMs: 1000 }),
    ).rejects.toThrow(/no live host nope .* run `cyrange up FILE` first/);
  });
});

describe('files', () => {
  test('putFile and fetchFile round-trip 300 KB with its sha256 and mode', async () => {
    const content = Array.from({ length: 6000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    const path = '/opt/drop/payload.txt';
    await driver.putFile(pc, path, content, { key: `${unique}/put/1`, mode: '0750' });
    const fetched = await driver.fetchFile(pc, path, { key: `${unique}/fetch/1` });
    expect(fetched).toEqual({
      bytes: Buffer.byteLength(content),
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect((await sh('pc-01', `stat -c %a ${path}`)).trim()).toBe('750');
  });

  test('a replayed putFile does not write again', async () => {
    const path = '/tmp/replayed.txt';
    await driver.putFile(pc, path, 'first\n', { key: `${unique}/put/2`, mode: '0644' });
    await driver.putFile(pc, path, 'second\n', { key: `${unique}/put/2`, mode: '0644' });
    expect(await sh('pc-01', `cat ${path}`)).toBe('first\n');
  });

  test('fetching a missing file fails', async () => {
    await expect(driver.fetchFile(pc, '/no/such/file', { key: `${unique}/fetch/2` })).rejects.toThrow(
      /no file/,
    );
  });
});

describe('beacon', () => {
  const id = `b${unique}`;
  const key = `${unique}/beacon`;
  const spec = {
    key,
    kind: 'beacon' as const,
    url: `http://update-check.example/beacon?id=${id}`,
    intervalMs: 300,
    user: '',
  };

  test('calls the C2 through the proxy until stopped; a replayed start does nothing', async () => {
    await driver.startBackground(pc, spec);
    await driver.startBackground(pc, spec);
    const loops = (await sh('pc-01', 'ps -eo args'))
      .split('\n')
      .filter((l) => l.includes('while :; do curl'));
    expect(loops).toHaveLength(1);
    const seen = await eventually(async () =>
      (await count('c2', '/var/log/c2/beacons.log', id)) >= 3 ? true : undefined,
    );
    expect(seen).toBe(true);
    const beacons = await sh('c2', `grep -F -- '${id}' /var/log/c2/beacons.log | head -1`);
    // The C2 sees the proxy as the source and the workstation as X-Forwarded-For.
    expect(JSON.parse(beacons)).toMatchObject({ host: 'update-check.example', forwarded: '10.247.16.10' });
    expect(await count('proxy', '/var/log/squid/access.log', id)).toBeGreaterThanOrEqual(3);

    await driver.stopBackground(pc, key);
    await sleep(800);
    const after = await count('c2', '/var/log/c2/beacons.log', id);
    await sleep(1_500);
    expect(await count('c2', '/var/log/c2/beacons.log', id)).toBe(after);
    expect(await sh('pc-01', 'ps -eo args')).not.toContain('while :; do curl');
    // Stopping twice is fine; starting the same key again (a replay) does not revive it.
    await driver.stopBackground(pc, key);
    await driver.startBackground(pc, spec);
    await sleep(800);
    expect(await count('c2', '/var/log/c2/beacons.log', id)).toBe(after);
  });
});

describe('mail', () => {
  test('lands in the recipient account Maildir once, even when replayed', async () => {
    const subject = `Invoice ${unique}`;
    const raw = `From: Billing <billing@evil.example>\r\nTo: k.sato@driver.example\r\nSubject: ${subject}\r\n\r\nPay now.\r\n`;
    const mail = { key: `${unique}/mail`, to: 'victim', raw };
    await driver.deliverMail('t01', mail);
    await driver.deliverMail('t01', mail);
    const box = '/home/k.sato/Maildir/new';
    const found = await eventually(async () => {
      const n = Number((await sh('mail', `grep -lF -- '${subject}' ${box}/* 2>/dev/null | wc -l`)).trim());
      return n > 0 ? n : undefined;
    });
    expect(found).toBe(1);
    await sleep(1_000);
    expect(Number((await sh('mail', `grep -lF -- '${subject}' ${box}/* | wc -l`)).trim())).toBe(1);
    expect(await sh('mail', 'cat /var/log/mail.log')).toMatch(/from=<billing@evil\.example>/);
  });
});

describe('log collector', () => {
  test('stores the proxy lines as ECS telemetry, once, and resumes after a restart', async () => {
    const id = `c${unique}`;
    const curl = (n: number) =>
      driver.exec(
        pc,
        [
          'curl',
          '-s',
          '-o',
          '/dev/null',
          '-x',
          'http://proxy:3128',
          `http://update-check.example/x?id=${id}&n=${n}`,
        ],
        {
          key: `${unique}/curl/${n}`,
          user: 'root',
          timeoutMs: 10_000,
        },
      );
    expect((await curl(1)).exitCode).toBe(0);
    expect((await curl(2)).exitCode).toBe(0);

    const store = new EventStore(join(dir.path, 'collect.db'));
    SessionRunner.create(store, { id: 's1', plan, scenarioEpochMs: Date.now() });
    const runner = new SessionRunner({ store, session: 's1', driver });
    const rows = () =>
      (
        store.db.prepare("SELECT doc FROM telemetry WHERE session = 's1' AND source = 'proxy'").all() as {
          doc: string;
        }[]
      )
        .map((r) => JSON.parse(r.doc) as Record<string, unknown>)
        .filter((d) => String(d['url.query'] ?? '').startsWith(`id=${id}`));
    try {
      const collector = new LiveLogCollector(clients, driver.hosts, runner);
      const first = await collector.pollOnce();
      expect(first.errors).toBe(0);
      expect(rows()).toHaveLength(2);
      expect(rows()[0]).toMatchObject({
        'event.dataset': 'squid.access',
        'event.action': 'proxy-request',
        'host.name': 'pc-01',
        'source.ip': '10.247.16.10',
        'destination.domain': 'update-check.example',
        'url.path': '/x',
        'http.response.status_code': 200,
        'observer.name': 'proxy',
      });
      expect((await collector.pollOnce()).batches).toBe(0);
      await collector.stop();

      // A new collector (a restarted orchestrator) resumes from the store: only the new line.
      expect((await curl(3)).exitCode).toBe(0);
      const resumed = new LiveLogCollector(clients, driver.hosts, runner, {
        resumeKeys: collectedKeys(store.read('s1')),
      });
      await resumed.pollOnce();
      expect(rows().map((d) => d['url.query'])).toEqual([`id=${id}&n=1`, `id=${id}&n=2`, `id=${id}&n=3`]);
      await resumed.stop();
    } finally {
      await runner.close();
      store.close();
    }
  });
});

describe('cyrange run --live', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      return { code: await main(['node', 'cyrange', ...args]), out };
    } finally {
      process.stdout.write = write;
    }
  }

  test('fires the file drop, the phishing mail and the beacon on the containers and collects their logs', async () => {
    const db = join(dir.path, 'run.db');
    const run = await cli(
      ['run', FIXTURE, '--live', '--exercise', exercise, '--db', db, '--session', 'live'].concat([
        '--speed',
        '60',
        '--until',
        '2m',
      ]),
    );
    expect(run.out).toMatch(/live range .*: acting on its containers/);
    expect(run.out).toMatch(/fired\s+drop\/0/);
    expect(run.out).toMatch(/fired\s+phish\/0/);
    expect(run.out).toMatch(/fired\s+beacon\/0/);
    expect(run.code).toBe(0);
    expect(await sh('pc-01', 'cat /opt/implant/updater.sh')).toBe('echo implant\n');
    expect(await sh('mail', 'grep -l "Subject: Password expiry" /home/k.sato/Maildir/new/*')).not.toBe('');
    // The exercise ended: its cleanup stopped the beacon.
    expect(await sh('pc-01', 'ps -eo args')).not.toContain('while :; do curl');
    const store = new EventStore(db);
    try {
      const events = store.read('live');
      expect(events.filter((e) => e.type === 'inject.succeeded')).toHaveLength(3);
      const proxy = events.filter(
        (e) => e.type === 'telemetry.collected' && (e.payload as { source: string }).source === 'proxy',
      );
      expect(proxy.length).toBeGreaterThan(0);
      // The phishing mail's delivery is in the team's telemetry as Postfix logged it.
      const mails = (
        store.db.prepare("SELECT doc FROM telemetry WHERE session = 'live' AND source = 'mail'").all() as {
          doc: string;
        }[]
      ).map((r) => JSON.parse(r.doc) as Record<string, unknown>);
      expect(mails).toContainEqual(
        expect.objectContaining({
          'event.action': 'mail-delivered',
          'email.from.address': 'it-support@evil-helpdesk.example',
          'host.name': 'mail',
        }),
      );
    } finally {
      store.close();
    }
  });
});
