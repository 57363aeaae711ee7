/** `cyrange run --live` without a range: exit 3 with the fix, and no session written. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { tempDir } from '../engine/support/temp-dir';
import { exerciseId, FIXTURE } from './support/driver-range';

test('run --live against an exercise that was never brought up exits 3 and says to run `cyrange up`', async () => {
  const dir = tempDir('run-live-missing');
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const db = join(dir.path, 'e.db');
    const code = await main([
      'node',
      'cyrange',
      'run',
      FIXTURE,
      '--live',
      '--exercise',
      exerciseId('none'),
      '--db',
      db,
    ]);
    expect(code).toBe(3);
    expect(err.join('')).toMatch(
      /6 live hosts of exercise `rd.*-none` not running .*run `cyrange up FILE` first/,
    );
    expect(existsSync(db)).toBe(false);
  } finally {
    process.stderr.write = write;
    dir.remove();
  }
});

test('run --live without a Docker engine exits 3 with the fix', async () => {
  const dir = tempDir('run-live-noengine');
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = `unix://${join(dir.path, 'no-engine.sock')}`;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(['node', 'cyrange', 'run', FIXTURE, '--live', '--db', join(dir.path, 'e.db')]);
    expect(code).toBe(3);
    expect(err.join('')).toMatch(/no Docker engine at .* — run infra\/engine\/ensure-engine\.sh/);
  } finally {
    process.stderr.write = write;
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
    dir.remove();
  }
});
