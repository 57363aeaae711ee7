import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { storageFaultOf } from './storage-fault';

/**
 * One runner per session. A process that runs a session holds its lease (host, pid, heartbeat) and
 * renews it while it runs; another process may take it over only when the holder is gone — its
 * pid is dead on this host (a `kill -9` is noticed at once) or its heartbeat is older than `ttlMs`
 * (a holder on another host, or a hung one). Without it two orchestrators on one session would
 * both act: the decision keys would still keep every firing single, but both would run cleanups.
 */
export class RunnerLease {
  private readonly host = hostname();
  private lastRenew = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly session: string,
    private readonly now: () => number,
    private readonly ttlMs = 30_000,
  ) {}

  /** Takes the lease or throws, naming the holder and what to do. */
  acquire(): void {
    const now = this.now();
    this.db
      .transaction(() => {
        const row = this.db
          .prepare('SELECT host, pid, heartbeat FROM runner_leases WHERE session = ?')
          .get(this.session) as { host: string; pid: number; heartbeat: number } | undefined;
        if (row && !this.mine(row) && !this.gone(row, now)) {
          throw new Error(
            `session ${this.session} is run by pid ${row.pid} on ${row.host} (last seen ${new Date(row.heartbeat).toISOString()}) — stop that process first, or wait ${Math.ceil(this.ttlMs / 1000)} s after it died on another host`,
          );
        }
        this.db
          .prepare(
            `INSERT INTO runner_leases (session, host, pid, heartbeat) VALUES (?, ?, ?, ?)
             ON CONFLICT(session) DO UPDATE SET host = excluded.host, pid = excluded.pid, heartbeat = excluded.heartbeat`,
          )
          .run(this.session, this.host, process.pid, now);
      })
      .immediate();
    this.lastRenew = now;
  }

  /** Refreshes the heartbeat, at most every third of the TTL. */
  renew(): void {
    const now = this.now();
    if (now - this.lastRenew < this.ttlMs / 3) return;
    this.db
      .prepare('UPDATE runner_leases SET heartbeat = ? WHERE session = ? AND host = ? AND pid = ?')
      .run(now, this.session, this.host, process.pid);
    this.lastRenew = now;
  }

  /**
   * Gives the lease up. On a database that refuses writes (disk full, read-only) the row stays:
   * harmless, since a dead local pid loses its lease at once — so shutting down never fails on it.
   */
  release(): void {
    try {
      this.db
        .prepare('DELETE FROM runner_leases WHERE session = ? AND host = ? AND pid = ?')
        .run(this.session, this.host, process.pid);
    } catch (e) {
      if (!storageFaultOf(e, this.db.name)) throw e;
    }
  }

  private mine(row: { host: string; pid: number }): boolean {
    return row.host === this.host && row.pid === process.pid;
  }

  private gone(row: { host: string; pid: number; heartbeat: number }, now: number): boolean {
    if (now - row.heartbeat > this.ttlMs) return true;
    return row.host === this.host && !pidAlive(row.pid);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
