/**
 * A `cyrange up` killed halfway leaves a partial range: `up` again reconciles whatever it finds into
 * the full range, and `down` (from labels alone) leaves nothing, whatever state the kill left.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Clients } from '../../src/range/docker/clients';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { rangeUp } from '../../src/range/lifecycle/range-up';
import { engineClients, exerciseId, fixturePlan } from './support/live-range';

jest.setTimeout(300_000);

const root = join(__dirname, '..', '..');
const exercise = exerciseId('kill');
const filter = { label: [`${LABEL.exercise}=${exercise}`] };
let clients: Clients;

beforeAll(async () => {
  clients = await engineClients();
});
afterAll(async () => {
  await rangeDown(clients, exercise);
}, 120_000);

function startUp(): ChildProcess {
  return spawn(
    process.execPath,
    [
      '-r',
      join(__dirname, '..', 'support', 'register-ts.js'),
      join(root, 'src', 'cli', 'run.ts'),
      'up',
      join(__dirname, 'fixtures', 'cli-range.yaml'),
      '--exercise',
      exercise,
      '--concurrency',
      '1',
    ],
    { cwd: root, stdio: 'ignore' },
  );
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('after a killed up, up reconciles and down leaves nothing', async () => {
  const child = startUp();
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Kill it as soon as its first container exists: networks made, hosts half done.
  await until(async () => (await clients.containers.list(filter)).length > 0, 120_000);
  child.kill('SIGKILL');
  await exited;
  const partial = await clients.containers.list(filter);
  expect(partial.length).toBeGreaterThan(0);

  const plan = fixturePlan('cli-range.yaml');
  const result = await rangeUp(clients, plan, { exercise });
  expect(result.failed).toEqual([]);
  expect(result.ready.length + result.kept).toBe(3);
  const running = await clients.containers.list({ label: [...filter.label], status: ['running'] });
  expect(running).toHaveLength(3);

  // Kill another `up` mid-way, then `down` with nothing but labels.
  await rangeDown(clients, exercise);
  const second = startUp();
  const secondExited = new Promise<void>((resolve) => second.on('exit', () => resolve()));
  await until(async () => (await clients.networks.list(filter)).length > 0, 120_000);
  second.kill('SIGKILL');
  await secondExited;
  const down = await rangeDown(clients, exercise);
  expect(down.networks).toBeGreaterThan(0);
  expect(await clients.containers.list(filter)).toEqual([]);
  expect(await clients.networks.list(filter)).toEqual([]);
});
