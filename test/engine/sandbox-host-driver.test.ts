import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxHostDriver } from '../../src/engine/live/sandbox-host-driver';
import { tempDir } from './support/temp-dir';

describe('SandboxHostDriver', () => {
  let dir: ReturnType<typeof tempDir>;
  let d: SandboxHostDriver;
  const pc = { team: 't01', host: 'pc-1' };
  beforeEach(() => {
    dir = tempDir('sandbox');
    d = new SandboxHostDriver(dir.path);
  });
  afterEach(async () => {
    await d.close();
    dir.remove();
  });

  it('runs commands in the host directory, once per key', async () => {
    const first = await d.exec(pc, ['/bin/sh', '-c', 'echo $CYRANGE_HOST >> ran.txt; pwd'], {
      key: 'k1',
      user: 'root',
      timeoutMs: 5000,
    });
    expect(first).toMatchObject({ exitCode: 0, timedOut: false });
    expect(first.stdout.trim()).toBe(join(dir.path, 't01', 'pc-1'));
    const again = await d.exec(pc, ['/bin/sh', '-c', 'echo $CYRANGE_HOST >> ran.txt'], {
      key: 'k1',
      user: 'root',
      timeoutMs: 5000,
    });
    expect(again).toEqual(first);
    expect(readFileSync(join(dir.path, 't01', 'pc-1', 'ran.txt'), 'utf8')).toBe('pc-1\n');
  });

  it('kills a command at its timeout and reports a failing exit code', async () => {
    const slow = await d.exec(pc, ['/bin/sh', '-c', 'sleep 5'], {
      key: 'slow',
      user: 'root',
      timeoutMs: 200,
    });
    expect(slow.timedOut).toBe(true);
    const bad = await d.exec(pc, ['/bin/sh', '-c', 'echo no >&2; exit 4'], {
      key: 'bad',
      user: 'root',
      timeoutMs: 5000,
    });
    expect(bad).toMatchObject({ exitCode: 4, stderr: 'no\n' });
  });

  it('keeps files inside the host and fingerprints what it fetches', async () => {
    await d.putFile(pc, '/etc/evil.conf', 'x=1\n', { key: 'f', mode: '0600' });
    expect(await d.fetchFile(pc, '/etc/evil.conf', { key: 'g' })).toEqual({
      bytes: 4,
      sha256: createHash('sha256').update('x=1\n').digest('hex'),
    });
    await expect(d.putFile(pc, '../../outside', 'x', { key: 'h', mode: '0644' })).rejects.toThrow(
      /leaves host pc-1's sandbox/,
    );
    expect(existsSync(join(dir.path, 'outside'))).toBe(false);
  });

  it('delivers mail as Maildir files and runs beacons until stopped', async () => {
    await d.deliverMail('t01', { key: 'm', to: 'Alice@Corp.example', raw: 'Subject: hi\r\n\r\nbody' });
    await d.deliverMail('t01', { key: 'm', to: 'Alice@Corp.example', raw: 'Subject: hi\r\n\r\nbody' });
    const box = join(dir.path, 't01', 'mail', 'alice@corp.example', 'new');
    expect(readdirSync(box)).toHaveLength(1);
    await d.startBackground(pc, {
      key: 'b',
      kind: 'beacon',
      url: 'http://c2.example/x',
      intervalMs: 100,
      user: '',
    });
    await d.startBackground(pc, {
      key: 'b',
      kind: 'beacon',
      url: 'http://c2.example/x',
      intervalMs: 100,
      user: '',
    });
    await new Promise((r) => setTimeout(r, 250));
    await d.stopBackground(pc, 'b');
    await d.stopBackground(pc, 'b');
    const calls = readFileSync(join(dir.path, 't01', 'pc-1', 'var/log/beacon.log'), 'utf8')
      .trim()
      .split('\n');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(d.running()).toEqual([]);
  });
});
