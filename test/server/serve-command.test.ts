/**
 * `cyrange serve` as a real process: it prints the URL and join links (the controller's first),
 * the links work, the exercise runs (injects fire and reach the inbox), and Ctrl-C stops it
 * cleanly. Bad flags are usage errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli-process';
import { Client, QUICKSTART, request } from './support/harness';

async function waitFor(output: () => string, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const m = output().match(pattern);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${pattern} in output:\n${output()}`);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-serve-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('serves the exercise, prints working join links and stops on SIGINT', async () => {
  const p = runCli([
    'serve',
    QUICKSTART,
    '--db',
    join(dir, 'x.db'),
    '--port',
    '0',
    '--set',
    'speed=600',
    '--start',
  ]);
  try {
    await waitFor(p.output, /spectator\s+\S+/);
    const lines = p.output().trim().split('\n');
    const url = lines[0]!.match(/at (http:\/\/127\.0\.0\.1:\d+)$/)![1]!;
    expect(lines[1]).toMatch(/^controller\s+http:\/\/127\.0\.0\.1:\d+\/join#[A-Za-z0-9_-]{43}$/);
    expect(lines.slice(1, 6).map((l) => l.split(/\s+/)[0])).toEqual([
      'controller',
      'evaluator',
      't01',
      't02',
      'spectator',
    ]);
    const token = (role: string) => lines.find((l) => l.startsWith(role))!.split('#')[1]!;
    const controller = await Client.join(url, token('controller'));
    expect((await controller.req('GET', '/api/me')).body).toMatchObject({ role: 'controller' });
    const team = await Client.join(url, token('t01'));
    // At ×600 the SOC call (T+8m) arrives within a second or so.
    const deadline = Date.now() + 15_000;
    let subjects: string[] = [];
    while (Date.now() < deadline && subjects.length === 0) {
      const inbox = await team.req('GET', '/api/teams/t01/inbox');
      subjects = inbox.body.messages.map((m: { subject: string }) => m.subject);
      if (subjects.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(subjects).toContain('Suspicious periodic connections through your proxy');
    expect((await request(url, 'GET', '/api/teams/t01/inbox')).status).toBe(401);
  } finally {
    p.child.kill('SIGINT');
  }
  expect(await p.exited).toBe(0);
  expect(p.output()).toMatch(/stopped serving/);
}, 40_000);

it('waits for the controller to start the clock unless --start is given', async () => {
  const p = runCli(['serve', QUICKSTART, '--db', join(dir, 'x.db'), '--port', '0', '--set', 'speed=600']);
  try {
    await waitFor(p.output, /clock waits for the controller/);
    const lines = p.output().trim().split('\n');
    const url = lines[0]!.match(/at (http:\/\/127\.0\.0\.1:\d+)$/)![1]!;
    const controller = await Client.join(url, lines.find((l) => l.startsWith('controller'))!.split('#')[1]!);
    expect((await controller.req('GET', '/api/health')).body.clock).toBe('created');
    const r = await controller.req('POST', '/api/exercise/clock', { action: 'start' });
    expect(r.body).toMatchObject({ status: 'running', compression: 600 });
  } finally {
    p.child.kill('SIGINT');
  }
  expect(await p.exited).toBe(0);
}, 40_000);

it('refuses a bad port as a usage error', async () => {
  const p = runCli(['serve', QUICKSTART, '--db', join(dir, 'x.db'), '--port', '80x']);
  expect(await p.exited).toBe(2);
  expect(p.output()).toMatch(/--port: port `80x` is not a whole number/);
});
