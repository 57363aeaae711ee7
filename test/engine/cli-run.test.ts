import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main';
import { tempDir } from './support/temp-dir';

/** `cyrange run` and `cyrange events` end to end, in process, on the quickstart scenario. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'cyrange', ...args]);
    return { code, out };
  } finally {
    process.stdout.write = write;
  }
}

describe('cyrange run / events', () => {
  const scenario = resolve(__dirname, '../../scenarios/quickstart.yaml');

  it('runs the quickstart to its end, printing firings with lateness, then lists its events', async () => {
    const dir = tempDir('cli');
    try {
      const db = join(dir.path, 'e.db');
      const run = await cli([
        'run',
        scenario,
        '--db',
        db,
        '--session',
        'q1',
        '--speed',
        '3000',
        '--teams',
        '2',
      ]);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/created session q1/);
      expect(run.out).toMatch(/t01\s+fired\s+phish-opened\/0 \(\d+ ms late\)/);
      expect(run.out).toMatch(/t02\s+fired\s+phish-opened\/0/);
      expect(run.out).toMatch(/exercise ended: \d+ firings, lateness p50 [\d.]+ ms, p99 [\d.]+ ms/);
      // Running it again resumes the ended session and fires nothing more.
      const again = await cli(['run', scenario, '--db', db, '--session', 'q1']);
      expect(again.out).toMatch(/resuming session q1/);
      expect(again.out).not.toMatch(/fired/);
      const list = await cli(['events', '--db', db]);
      expect(list.out).toMatch(/^q1\t/m);
      const ev = await cli(['events', '--db', db, '--session', 'q1', '--type', 'attack.step', '--json']);
      const steps = ev.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(steps.length).toBeGreaterThan(0);
      expect(steps[0]).toMatchObject({
        type: 'attack.step',
        payload: { technique: expect.stringMatching(/^T\d{4}/) },
      });
      const missing = await cli(['events', '--db', db, '--session', 'nope']);
      expect(missing.code).toBe(1);
    } finally {
      dir.remove();
    }
  });
});
