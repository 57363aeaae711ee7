import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { SandboxHostDriver } from '../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../src/engine/session/session-runner';
import { EventStore } from '../../src/engine/store/event-store';
import { smallPlan } from './fixtures';
import { tempDir } from './support/temp-dir';

const ROOT = resolve(__dirname, '../..');

describe('one runner per session', () => {
  it('refuses a second process while the first runs, and takes over at once when it is killed', async () => {
    const dir = tempDir('lease');
    const db = join(dir.path, 'e.db');
    const store = new EventStore(db);
    try {
      SessionRunner.create(store, { id: 's', plan: smallPlan(), scenarioEpochMs: Date.now() });
      SessionRunner.create(store, { id: 'other', plan: smallPlan(), scenarioEpochMs: Date.now() });
      const child = spawn(
        process.execPath,
        ['-r', './test/support/register-ts.js', 'test/engine/support/lease-holder.ts', db, 's'],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise((done) => child.on('exit', done));
      await new Promise<void>((done, fail) => {
        const t = setTimeout(() => fail(new Error('lease holder did not start')), 20_000);
        child.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('HOLDING')) {
            clearTimeout(t);
            done();
          }
        });
      });
      const driver = new SandboxHostDriver(join(dir.path, 'sb'));
      expect(() => new SessionRunner({ store, session: 's', driver })).toThrow(
        new RegExp(`session s is run by pid ${child.pid} on .* — stop that process first`),
      );
      // Another session of the same database is free.
      const other = new SessionRunner({ store, session: 'other', driver });
      await other.close();
      child.kill('SIGKILL');
      await exited;
      const mine = new SessionRunner({ store, session: 's', driver });
      await mine.close();
      // Released on close: the next runner (here, in this process) opens it again.
      await new SessionRunner({ store, session: 's', driver }).close();
    } finally {
      store.close();
      dir.remove();
    }
  }, 60_000);
});
