/**
 * A sick database: the event database on a tiny tmpfs this suite mounts itself, filled up while
 * `cyrange serve` runs, and mounted read-only (or full) before `run`/`serve` start. Writes must be
 * refused with a 503 naming the cause, the file and the fix; the console must say so; the process
 * must not crash; the runner must fire nothing it could not record; everything acknowledged must
 * be intact once space returns; and a start on a full or read-only database must be refused with
 * exit code 3. The runner's half is also checked in-process on a real SQLite file made read-only
 * (`query_only`), since Linux refuses to remount read-only a disk with files open for writing.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvent, type StoredEvent } from '../../src/engine/events/event-types';
import { SandboxHostDriver } from '../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../src/engine/session/session-runner';
import { EventStore } from '../../src/engine/store/event-store';
import { type StorageFault, storageFaultOf } from '../../src/engine/store/storage-fault';
import type { StorageStateView } from '../../src/wire/storage';
import { firingCounts } from '../engine/support/firing-counts';
import { goodReport } from '../server/support/harness';
import { simulatedYaml, writeScenario } from './support/crash-fixtures';
import { sleep, spawnCli, until } from './support/crash-process';
import { fixturePlanFile } from './support/crash-range';
import { type Served, startServe } from './support/crash-serve';
import { budgetMs, repeats } from './support/scale';

jest.setTimeout(120_000);

const work = mkdtempSync(join(tmpdir(), 'cyrange-dbfault-'));
/** The tiny disk: a tmpfs of DISK_BYTES mounted on `mnt` by this suite. */
const mnt = join(work, 'disk');
const DISK_BYTES = 8 * 1024 * 1024;
const file = writeScenario(work, 'db-faults.yaml', simulatedYaml(400, 30));
/** Fill-the-disk / free-it cycles while one `serve` runs. */
const CYCLES = repeats(2, 20);
let mounted = false;
let serve: Served | undefined;

beforeAll(() => {
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES},mode=0755`, 'cyrange-dbfault', mnt]);
  mounted = true;
});

afterAll(async () => {
  if (serve) await serve.cli.kill9();
  if (mounted) {
    try {
      execFileSync('umount', [mnt]);
    } catch {
      execFileSync('umount', ['-l', mnt]);
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/** Fills the disk with one file until ENOSPC (bounded by the disk's size); returns its path. */
function fillDisk(name: string): string {
  const path = join(mnt, name);
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  try {
    for (let i = 0; i < (2 * DISK_BYTES) / chunk.length; i++) writeSync(fd, chunk);
    throw new Error(`${mnt} did not fill up after ${2 * DISK_BYTES} bytes`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    // Fill the last partial block too: a few bytes at a time until nothing fits.
    for (let i = 0; i < 4096; i++) {
      try {
        writeSync(fd, chunk.subarray(0, 512));
      } catch {
        break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

describe('a fresh run or serve on a sick database', () => {
  test('refuses at start with exit 3 when the disk is full, naming the file and the fix', async () => {
    const db = join(mnt, 'full.db');
    const filler = fillDisk('filler-start');
    try {
      for (const verb of ['run', 'serve']) {
        const cli = spawnCli(
          [verb, file, '--db', db, ...(verb === 'serve' ? ['--port', '0'] : ['--for', '5s'])],
          30_000,
        );
        const { code } = await cli.exited;
        expect([verb, code]).toEqual([verb, 3]);
        expect(cli.stderr()).toContain(`database disk full at ${db}`);
        expect(cli.stderr()).toContain('free space on that disk');
        expect(cli.stderr()).not.toMatch(/\n\s+at /); // no stack trace
      }
    } finally {
      unlinkSync(filler);
    }
  });

  test('refuses at start with exit 3 when the disk is read-only, for a new and an existing database', async () => {
    const existing = join(mnt, 'existing.db');
    const made = spawnCli(['run', file, '--db', existing, '--session', 'ro-1', '--for', '1s'], 30_000);
    expect((await made.exited).code).toBe(0);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    try {
      for (const [verb, db, session] of [
        ['serve', existing, 'ro-1'],
        ['run', existing, 'ro-1'],
        ['run', join(mnt, 'new.db'), 'ro-2'],
      ] as const) {
        const cli = spawnCli(
          [
            verb,
            file,
            '--db',
            db,
            '--session',
            session,
            ...(verb === 'serve' ? ['--port', '0'] : ['--for', '5s']),
          ],
          30_000,
        );
        const { code } = await cli.exited;
        expect([verb, db, code]).toEqual([verb, db, 3]);
        expect(cli.stderr()).toMatch(new RegExp(`(database read-only|cannot open the database) at ${db}`));
        expect(cli.stderr()).not.toMatch(/\n\s+at /);
      }
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
    }
  });
});

describe('serve while its disk fills up', () => {
  test(
    'answers 503 naming the cause, keeps running, fires nothing unrecorded, and loses nothing acknowledged',
    async () => {
      const db = join(mnt, 'live.db');
      // 60 scenario s per wall s: a note is due every half second of wall time.
      serve = await startServe(
        file,
        ['--db', db, '--start', '--speed', '60'],
        budgetMs(CYCLES, 6000, 50_000),
      );
      const team = await serve.join('t01');
      // Every page is told when writes are refused and when they are taken again (`exercise:storage`).
      const storagePushes: StorageStateView[] = [];
      const socket = await team.socket();
      socket.on('exercise:storage', (state) => storagePushes.push(state));
      const acked = new Map<string, number>();
      const submit = async (key: string, narrativeBytes: number) =>
        team.req(
          'POST',
          '/api/teams/t01/reports',
          goodReport({ title: key, narrative: 'x'.repeat(narrativeBytes) }),
          {
            headers: { 'idempotency-key': key },
          },
        );
      for (let i = 0; i < 5; i++) {
        const r = await submit(`before-${i}`, 1000);
        expect(r.status).toBe(201);
        acked.set(`before-${i}`, r.body.report.id);
      }

      const quiet: [from: number, to: number][] = [];
      let firstRefusal = '';
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        // Fill the disk, then keep submitting 20 kB reports until one is refused (SQLite first reuses
        // the room its write-ahead log already holds). Bounded: 400 reports are 8 MB, the whole disk.
        const filler = fillDisk(`filler-live-${cycle}`);
        let refused: { key: string; status: number; message: string; retryAfter: string | null } | undefined;
        for (let i = 0; i < 400 && !refused; i++) {
          const key = `c${cycle}-during-${i}`;
          const r = await submit(key, 20_000);
          if (r.status === 201) acked.set(key, r.body.report.id);
          else
            refused = {
              key,
              status: r.status,
              message: r.body.error?.message ?? '',
              retryAfter: r.headers.get('retry-after'),
            };
        }
        expect(refused).toBeDefined();
        firstRefusal ||= refused!.key;
        expect([cycle, refused!.status]).toEqual([cycle, 503]);
        expect(refused!.message).toContain(`database disk full at ${db}`);
        expect(refused!.message).toContain('nothing was recorded');
        expect(refused!.retryAfter).toBe('5');
        // The console says it too, once per fault, when the timer loop meets the full disk (a note
        // is due every 0.5 s).
        await until(
          `cycle ${cycle}: serve reports the full disk`,
          () => count(serve!.cli.stderr(), 'ERROR: database disk full at') === cycle + 1,
          15_000,
        ).catch((e: Error) => {
          throw new Error(`${e.message}\nserve said: ${serve!.cli.stderr().slice(-3000)}`);
        });
        // The team's page was told, with the cause and the file.
        await until(
          `cycle ${cycle}: the page is told writes are refused`,
          () => storagePushes.filter((p) => !p.ok).length === cycle + 1,
          5_000,
        );
        const told = storagePushes.filter((p) => !p.ok).at(-1)!;
        expect(told).toMatchObject({ ok: false, cause: 'full' });
        expect(told.message).toContain(`database disk full at ${db}`);
        // Reads still work, and the process is alive.
        expect((await team.req('GET', '/api/teams/t01/reports')).status).toBe(200);
        expect(serve.cli.child.exitCode).toBeNull();
        const faultAt = Date.now();
        await sleep(1000);
        quiet.push([faultAt, Date.now()]);
        unlinkSync(filler);
        await until(
          `cycle ${cycle}: serve reports writes again`,
          () => count(serve!.cli.stderr(), 'takes writes again; injects fire again') === cycle + 1,
          15_000,
        ).catch((e: Error) => {
          throw new Error(`${e.message}\nserve said: ${serve!.cli.stderr().slice(-3000)}`);
        });
        await until(
          `cycle ${cycle}: the page is told writes are taken again`,
          () => storagePushes.filter((p) => p.ok).length === cycle + 1,
          5_000,
        );
        // The refused request, retried with its key, is recorded now — once.
        const retried = await submit(refused!.key, 20_000);
        expect(retried.status).toBe(201);
        acked.set(refused!.key, retried.body.report.id);
      }
      socket.disconnect();
      await serve.cli.kill9();
      serve = undefined;

      const store = new EventStore(db);
      try {
        const sessions = store.listSessions();
        expect(sessions).toHaveLength(1);
        const log = store.read(sessions[0]!.id);
        checkReports(log, acked);
        checkFirings(log);
        // Nothing was written (no firing, no monitor verdict, no report) while the disk was full.
        for (const [from, to] of quiet)
          expect(log.filter((e) => e.wallTime > from && e.wallTime < to)).toEqual([]);
        process.stdout.write(
          `database-faults: ${acked.size} acknowledged reports intact, ${CYCLES} fill/free cycles, first refusal at ${firstRefusal}, ` +
            `${log.filter((e) => e.type === 'inject.fired').length} firings each once\n`,
        );
      } finally {
        store.close();
      }
    },
    budgetMs(CYCLES, 6000, 60_000),
  );
});

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Every acknowledged report is in the log exactly once, under the id it was acknowledged with. */
function checkReports(log: StoredEvent[], acked: Map<string, number>): void {
  const reports = log.filter((e) => isEvent(e, 'report.submitted'));
  const byTitle = new Map<string, StoredEvent[]>();
  for (const e of reports) {
    const title = JSON.parse((e.payload as { body: string }).body).title as string;
    byTitle.set(title, [...(byTitle.get(title) ?? []), e]);
  }
  for (const [key, id] of acked) {
    const found = byTitle.get(key) ?? [];
    expect([key, found.map((e) => e.seq)]).toEqual([key, [id]]);
  }
  expect(reports).toHaveLength(acked.size);
}

/** One decision per occurrence, and one outcome per firing. */
function checkFirings(log: StoredEvent[]): void {
  const { decided, outcomes } = firingCounts(log);
  expect(decided.size).toBeGreaterThan(0);
  expect([...decided.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect([...outcomes.entries()].filter(([, n]) => n !== 1)).toEqual([]);
}

describe('the runner on a database that refuses writes (in-process, real SQLite)', () => {
  test('fires nothing while refused, reports the fault once and the recovery once, then fires each due inject once', async () => {
    const dir = mkdtempSync(join(work, 'runner-'));
    const store = new EventStore(join(dir, 'events.db'));
    const plan = fixturePlanFile(writeScenario(dir, 'runner.yaml', simulatedYaml(30, 10)));
    SessionRunner.create(store, { id: 'ro', plan, scenarioEpochMs: Date.now() - 55_000, compression: 60 });
    const faults: (StorageFault | undefined)[] = [];
    const acks: StoredEvent[] = [];
    const runner = new SessionRunner({
      store,
      session: 'ro',
      driver: new SandboxHostDriver(join(dir, 'sandbox')),
      maxSleepMs: 100,
      onEvent: (e) => acks.push(e),
      onStorageFault: (f) => faults.push(f),
    });
    runner.start();
    const abort = new AbortController();
    const loop = runner.run({ maxWallMs: 30_000, signal: abort.signal });
    try {
      await until('first firing', () => acks.some((e) => e.type === 'inject.fired'), 10_000);
      store.db.pragma('query_only = ON');
      const refusedFrom = Date.now();
      await until('fault reported', () => faults.length > 0, 10_000);
      const acksAtFault = acks.length;
      await sleep(1500);
      // Injects fell due meanwhile (one every 1/6 s of wall time), but none was acknowledged.
      expect(acks.length).toBe(acksAtFault);
      expect(runner.storageFault?.kind).toBe('read-only');
      store.db.pragma('query_only = OFF');
      const refusedTo = Date.now();
      await until('recovery reported', () => faults.length === 2, 10_000);
      await until(
        'late injects fired',
        () => acks.some((e) => e.type === 'inject.fired' && e.wallTime > refusedTo),
        10_000,
      );
      abort.abort();
      await loop;
      await runner.close();
      expect(faults[0]?.message).toContain(`database read-only at ${store.path}`);
      expect(faults[1]).toBeUndefined();
      const log = store.read('ro');
      // Every acknowledged event is in the log; nothing was written while writes were refused.
      const seqs = new Set(log.map((e) => e.seq));
      expect(acks.filter((a) => !seqs.has(a.seq))).toEqual([]);
      expect(log.filter((e) => e.wallTime > refusedFrom + 50 && e.wallTime < refusedTo)).toEqual([]);
      checkFirings(log);
      // The notes that fell due during the fault fired afterwards, late, with their lateness recorded.
      const late = log.filter((e) => isEvent(e, 'inject.fired') && e.wallTime >= refusedTo);
      expect(late.length).toBeGreaterThan(0);
      expect(late.every((e) => isEvent(e, 'inject.fired') && e.payload.latenessMs > 0)).toBe(true);
    } finally {
      abort.abort();
      await loop.catch(() => undefined);
      store.close();
    }
  });
});

describe('the classification of SQLite refusals', () => {
  test('maps full, read-only, I/O and cannot-open codes (extended ones too) and nothing else', () => {
    const kindOf = (code: string) => storageFaultOf(Object.assign(new Error(code), { code }), '/x.db')?.kind;
    expect(
      ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_PERM', 'SQLITE_IOERR_WRITE'].map(
        kindOf,
      ),
    ).toEqual(['full', 'read-only', 'read-only', 'read-only', 'io']);
    expect(
      ['SQLITE_CANTOPEN', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_BUSY', 'ENOSPC', 'ENOENT'].map(kindOf),
    ).toEqual(['cannot-open', undefined, undefined, undefined, undefined]);
  });

  test('a database in a directory that does not exist is a cannot-open fault naming the path', () => {
    const path = join(work, 'no-such-dir', 'events.db');
    expect(() => new EventStore(path)).toThrow(`cannot open the database at ${path}`);
  });
});
