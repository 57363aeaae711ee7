/**
 * A live launch from setup mode on the real Docker engine (the `cyrange/*` images are built
 * already, so it takes seconds): image and host progress reach the controller's page, the range
 * is up when the exercise takes over, and the controller tears it down from the console — only
 * with the exercise id as confirmation and not while the clock runs — which removes every
 * container and network of the exercise by label and writes the counts to the event log.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../../src/engine/store/event-store';
import { clientsFor, connectEngine } from '../../src/range/docker/clients';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { Client, QUICKSTART, request } from './support/harness';
import { quickstartInBlock, type RunningSetup, runSetup, watchLaunch } from './support/setup-mode';

const EXERCISE = `setup-live-${process.pid % 100000}`;
const TEXT = quickstartInBlock(readFileSync(QUICKSTART, 'utf8'), 213);

let dir: string;
let setup: RunningSetup;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-setup-live-'));
  setup = await runSetup(join(dir, 'x.db'));
});

afterAll(async () => {
  await setup?.stop();
  // Whatever the test did, nothing of this exercise stays on the engine.
  await rangeDown(clientsFor(await connectEngine()), EXERCISE).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function labelled(): Promise<{ containers: number; networks: number }> {
  const clients = clientsFor(await connectEngine());
  const filter = { label: [`cyrange.exercise=${EXERCISE}`] };
  const containers = await clients.engine.api.listContainers({ all: true, filters: filter });
  const networks = await clients.engine.api.listNetworks({ filters: filter });
  return { containers: containers.length, networks: networks.length };
}

it('launches quickstart live with progress, then tears the range down from the console', async () => {
  const controller = await Client.join(setup.url, setup.token);
  const socket = await controller.socket();
  const launch = watchLaunch(socket);
  const started = Date.now();
  const r = await controller.req('POST', '/api/setup/launch', {
    source: 'quickstart',
    text: TEXT,
    mode: 'live',
    teams: 1,
    exercise: EXERCISE,
  });
  expect(r.status).toBe(202);
  let health = await request(setup.url, 'GET', '/api/health').catch(() => undefined);
  while (Date.now() - started < 120_000 && !health?.body?.session) {
    await new Promise((res) => setTimeout(res, 100));
    health = await request(setup.url, 'GET', '/api/health').catch(() => undefined);
  }
  const launchMs = Date.now() - started;
  process.stderr.write(`live launch of quickstart (1 team, 5 live hosts): ${launchMs} ms\n`);
  expect(launch.launched).toBeDefined();
  expect(health!.body.session).toBe(launch.launched!.session);
  const last = launch.progress[launch.progress.length - 1]!;
  expect(last.step).toBe('ready');
  expect(last.images.done).toBeGreaterThan(0);
  expect(last.images.failed).toBe(0);
  expect(last.hosts.failed).toBe(0);
  expect(launch.progress.some((p) => p.line?.startsWith('image '))).toBe(true);
  expect(launch.progress.map((p) => p.step)).toEqual(
    expect.arrayContaining(['images', 'range', 'session', 'ready']),
  );
  const before = await labelled();
  expect(before.containers).toBeGreaterThanOrEqual(5);

  const exercise = await Client.join(setup.url, launch.launched!.token);
  // Confirmation is the exercise id; a running clock refuses.
  const wrong = await exercise.req('POST', '/api/range/teardown', { confirm: 'quickstart' });
  expect(wrong.status).toBe(422);
  expect(wrong.body.error).toMatchObject({
    field: 'body.confirm',
    message: expect.stringContaining(EXERCISE),
  });
  expect((await exercise.req('POST', '/api/exercise/clock', { action: 'start' })).status).toBe(200);
  const running = await exercise.req('POST', '/api/range/teardown', { confirm: EXERCISE });
  expect(running.status).toBe(409);
  expect(running.body.error.message).toMatch(/stop the exercise first/);
  expect((await exercise.req('POST', '/api/exercise/clock', { action: 'stop' })).status).toBe(200);

  const td = await exercise.req('POST', '/api/range/teardown', { confirm: EXERCISE });
  expect(td.status).toBe(200);
  expect(td.body).toMatchObject({
    exercise: EXERCISE,
    containers: before.containers,
    networks: before.networks,
    volumes: expect.any(Number),
  });
  expect(await labelled()).toEqual({ containers: 0, networks: 0 });
  const again = await exercise.req('POST', '/api/range/teardown', { confirm: EXERCISE });
  expect(again.body).toMatchObject({ containers: 0, networks: 0 });

  await setup.stop();
  const store = new EventStore(join(dir, 'x.db'));
  const notes = store
    .read(launch.launched!.session)
    .filter((e) => e.type === 'controller.override')
    .map((e) => (e.payload as { reason: string }).reason);
  const status = (
    store.db.prepare('SELECT status FROM server_launches ORDER BY id DESC LIMIT 1').get() as {
      status: string;
    }
  ).status;
  store.close();
  expect(notes[0]).toBe(
    `live range ${EXERCISE} torn down: removed ${before.containers} containers, ${before.networks} networks, ${td.body.volumes} volumes`,
  );
  expect(status).toBe('torn-down');
}, 150_000);
