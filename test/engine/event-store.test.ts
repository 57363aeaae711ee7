import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventStore } from '../../src/engine/store/event-store';
import { SCHEMA_VERSION } from '../../src/engine/store/schema';
import { tempDir } from './support/temp-dir';

describe('EventStore', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('store');
  });
  afterEach(() => dir.remove());

  const msg = (key?: string) => ({
    type: 'team.action' as const,
    team: 't1',
    payload: { actor: 'a', action: 'isolate', detail: { host: 'pc-1' } },
    ...(key ? { key } : {}),
  });

  it('appends durably in WAL mode and reads back in order, per session', () => {
    const path = join(dir.path, 'e.db');
    const s = new EventStore(path);
    s.createSession('a', { p: 1 }, 1);
    s.createSession('b', { p: 2 }, 2);
    s.append({ session: 'a', event: msg(), scenarioTime: 1.5, wallTime: 10 });
    s.append({ session: 'b', event: msg(), scenarioTime: 2, wallTime: 11 });
    s.append({ session: 'a', event: msg(), scenarioTime: 3, wallTime: 12 });
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    s.close();
    const r = new EventStore(path);
    expect(r.read('a').map((e) => [e.seq, e.scenarioTime, e.wallTime])).toEqual([
      [1, 1.5, 10],
      [2, 3, 12],
    ]);
    expect(r.read('a', 1)).toHaveLength(1);
    expect(r.read('b')[0]).toMatchObject({
      session: 'b',
      seq: 1,
      team: 't1',
      type: 'team.action',
      payload: { detail: { host: 'pc-1' } },
    });
    expect(r.sessionPlan('b')).toEqual({ p: 2 });
    r.close();
  });

  it('deduplicates by key: a retried append returns the stored event', () => {
    const s = new EventStore(join(dir.path, 'e.db'));
    s.createSession('a', {}, 1);
    const first = s.append({ session: 'a', event: msg('k1'), scenarioTime: 1, wallTime: 1 });
    const again = s.append({ session: 'a', event: msg('k1'), scenarioTime: 9, wallTime: 9 });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ duplicate: true, event: first.event });
    expect(s.read('a')).toHaveLength(1);
    s.close();
  });

  it('commits a transaction all or nothing', () => {
    const s = new EventStore(join(dir.path, 'e.db'));
    s.createSession('a', {}, 1);
    expect(() =>
      s.transaction(() => {
        s.append({ session: 'a', event: msg('x'), scenarioTime: 1, wallTime: 1 });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.read('a')).toHaveLength(0);
    expect(s.hasKey('x')).toBe(false);
    s.close();
  });

  it('refuses a database from a newer cyrange', () => {
    const path = join(dir.path, 'new.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new EventStore(path)).toThrow(/newer than this cyrange .* upgrade cyrange/);
  });
});
