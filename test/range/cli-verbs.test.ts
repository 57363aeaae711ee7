/**
 * The live range verbs end to end through the CLI: `up` (exit 0, summary), `status` (every host
 * running), `up` again (nothing changes), `down` (nothing left), and usage errors.
 */
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { LABEL } from '../../src/range/labels';
import { rangeDown } from '../../src/range/lifecycle/range-down';
import { engineClients, exerciseId } from './support/live-range';

jest.setTimeout(300_000);

const file = join(__dirname, 'fixtures', 'cli-range.yaml');
const exercise = exerciseId('cli');

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out.push(String(c));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err.push(String(c));
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'cyrange', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    process.exitCode = undefined;
  }
}

afterAll(async () => {
  await rangeDown(await engineClients(), exercise);
}, 120_000);

test('up, status, up again, down', async () => {
  const before = await run('status', file, '--exercise', exercise, '--json');
  expect((JSON.parse(before.stdout) as { state: string }[]).map((h) => h.state)).toEqual([
    'missing',
    'missing',
    'missing',
  ]);

  const up = await run('up', file, '--exercise', exercise);
  expect(up.stderr).toContain(`${exercise}: hosts 3 to create`);
  expect(up.stdout).toMatch(
    new RegExp(`^${exercise}: 3 hosts ready, 0 failed, 0 unchanged, 0 removed in [\\d.]+s\\n$`),
  );
  expect(up.code).toBe(0);

  const status = await run('status', '--exercise', exercise, '--json');
  expect(status.code).toBe(0);
  const hosts = JSON.parse(status.stdout) as { host: string; state: string; ips: string[] }[];
  expect(hosts.map((h) => [h.host, h.state])).toEqual([
    ['fw', 'running'],
    ['pc-01', 'running'],
    ['web', 'running'],
  ]);
  expect(hosts.find((h) => h.host === 'web')?.ips).toEqual(['10.243.2.20']);

  const table = await run('status', '--exercise', exercise);
  expect(table.stdout).toContain('3 hosts, 3 running, 0 not running');

  const again = await run('up', file, '--exercise', exercise);
  expect(again.stdout).toContain('0 hosts ready, 0 failed, 3 unchanged, 0 removed');
  expect(again.code).toBe(0);

  const down = await run('down', '--exercise', exercise);
  expect(down.stdout).toMatch(/removed 3 containers, 2 networks, 0 volumes/);
  expect(down.code).toBe(0);
  const clients = await engineClients();
  expect(await clients.containers.list({ label: [`${LABEL.exercise}=${exercise}`] })).toEqual([]);
});

test('up --simulated needs no engine and creates nothing', async () => {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = 'unix:///nonexistent/cyrange-test.sock';
  try {
    const result = await run('up', file, '--simulated');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cli-range: 3 hosts in 1 teams, all simulated');
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
});

test('down needs exactly one of FILE, --exercise or --all', async () => {
  expect((await run('down')).code).toBe(2);
  expect((await run('down', '--all', '--exercise', exercise)).code).toBe(2);
});

test('an invalid exercise id is refused before anything is created', async () => {
  const result = await run('up', file, '--exercise', 'Not_Valid');
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('an exercise id uses lowercase letters, digits and dashes');
});
