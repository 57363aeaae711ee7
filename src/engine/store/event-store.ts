import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EngineEvent, StoredEvent } from '../events/event-types';
import { migrate } from './schema';
import { freeBytes, guardStorage, MIN_FREE_BYTES, StorageFault } from './storage-fault';

export interface AppendInput {
  session: string;
  event: EngineEvent;
  scenarioTime: number;
  wallTime: number;
}

interface EventRow {
  session: string;
  seq: number;
  team: string | null;
  type: string;
  scenario_time: number;
  wall_time: number;
  payload: string;
  key: string | null;
}

/**
 * The durable, append-only event log. WAL with `synchronous=FULL`: a commit is fsynced before
 * `append` returns, so an acknowledged event survives `kill -9` and power loss alike (NORMAL
 * would only survive process crashes). Appends carrying an idempotency key are deduplicated by
 * a UNIQUE index, so a retried append returns the event already stored instead of a copy.
 * A disk that is full, read-only or failing surfaces as a `StorageFault` naming the file and the
 * fix (see storage-fault.ts); the failed transaction committed nothing.
 */
export class EventStore {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly byKey: Database.Statement;
  private readonly lastSeq: Database.Statement;
  private readonly readFrom: Database.Statement;

  constructor(readonly path: string) {
    // better-sqlite3 refuses a missing directory itself, with a plain TypeError: say it our way.
    if (path !== ':memory:' && path !== '' && !existsSync(dirname(path))) {
      throw new StorageFault('cannot-open', 'SQLITE_CANTOPEN', path, 'its directory does not exist');
    }
    this.db = guardStorage(path, () => new Database(path));
    try {
      guardStorage(path, () => {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = FULL');
        this.db.pragma('busy_timeout = 5000');
        migrate(this.db);
      });
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.insert = this.db.prepare(
      `INSERT INTO events (session, seq, team, type, scenario_time, wall_time, payload, key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`,
    );
    this.byKey = this.db.prepare('SELECT * FROM events WHERE key = ?');
    this.lastSeq = this.db.prepare('SELECT MAX(seq) AS seq FROM events WHERE session = ?');
    this.readFrom = this.db.prepare('SELECT * FROM events WHERE session = ? AND seq > ? ORDER BY seq');
  }

  createSession(id: string, plan: unknown, wallTime: number): boolean {
    const info = guardStorage(this.path, () =>
      this.db
        .prepare('INSERT INTO sessions (id, created_wall, plan) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING')
        .run(id, wallTime, JSON.stringify(plan)),
    );
    return info.changes === 1;
  }

  /**
   * Proves the database takes writes before a session starts: enough free space on its disk and
   * one committed (fsynced) write. Throws a `StorageFault` naming the cause and the fix otherwise,
   * so `run` and `serve` refuse at start instead of failing mid-exercise.
   */
  checkWritable(): void {
    if (this.db.memory) return;
    const free = freeBytes(this.path);
    if (free !== undefined && free < MIN_FREE_BYTES) {
      throw new StorageFault(
        'full',
        'ENOSPC',
        this.path,
        `${free} bytes free, at least ${MIN_FREE_BYTES} needed`,
      );
    }
    if (this.db.readonly) throw new StorageFault('read-only', 'SQLITE_READONLY', this.path);
    guardStorage(this.path, () =>
      this.db
        .prepare(
          `INSERT INTO store_probe (id, pid, at) VALUES (1, ?, ?)
           ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, at = excluded.at`,
        )
        .run(process.pid, Date.now()),
    );
  }

  sessionPlan<T>(id: string): T | undefined {
    const row = this.db.prepare('SELECT plan FROM sessions WHERE id = ?').get(id) as
      | { plan: string }
      | undefined;
    return row ? (JSON.parse(row.plan) as T) : undefined;
  }

  listSessions(): { id: string; createdWall: number }[] {
    return (
      this.db.prepare('SELECT id, created_wall FROM sessions ORDER BY created_wall').all() as {
        id: string;
        created_wall: number;
      }[]
    ).map((r) => ({ id: r.id, createdWall: r.created_wall }));
  }

  /**
   * Appends one event. With a key already present, nothing is written and the stored event is
   * returned with `duplicate: true`. Call inside `transaction()` to make several facts atomic.
   */
  append(input: AppendInput): { event: StoredEvent; duplicate: boolean } {
    return guardStorage(this.path, () => this.appendOne(input));
  }

  private appendOne(input: AppendInput): { event: StoredEvent; duplicate: boolean } {
    const { session, event, scenarioTime, wallTime } = input;
    const seq = ((this.lastSeq.get(session) as { seq: number | null }).seq ?? 0) + 1;
    const info = this.insert.run(
      session,
      seq,
      event.team,
      event.type,
      scenarioTime,
      wallTime,
      JSON.stringify(event.payload),
      event.key ?? null,
    );
    if (info.changes === 0) {
      return { event: toStored(this.byKey.get(event.key) as EventRow), duplicate: true };
    }
    return { event: { ...event, session, seq, scenarioTime, wallTime } as StoredEvent, duplicate: false };
  }

  /** Runs `fn` atomically: all of its appends commit (one fsync) or none do. */
  transaction<T>(fn: () => T): T {
    return guardStorage(this.path, () => this.db.transaction(fn)());
  }

  hasKey(key: string): boolean {
    return this.byKey.get(key) !== undefined;
  }

  read(session: string, afterSeq = 0): StoredEvent[] {
    return (this.readFrom.all(session, afterSeq) as EventRow[]).map(toStored);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toStored(row: EventRow): StoredEvent {
  return {
    session: row.session,
    seq: row.seq,
    team: row.team,
    type: row.type,
    scenarioTime: row.scenario_time,
    wallTime: row.wall_time,
    payload: JSON.parse(row.payload),
    ...(row.key === null ? {} : { key: row.key }),
  } as StoredEvent;
}
