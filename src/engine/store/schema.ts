import type Database from 'better-sqlite3';

/**
 * Versioned schema. Each migration runs once, in order, inside a transaction, and bumps
 * `PRAGMA user_version`; a database written by a newer cyrange is refused rather than guessed at.
 */
const MIGRATIONS: string[] = [
  // 1: sessions and the append-only event log.
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     created_wall INTEGER NOT NULL,
     plan TEXT NOT NULL
   );
   CREATE TABLE events (
     session TEXT NOT NULL REFERENCES sessions(id),
     seq INTEGER NOT NULL,
     team TEXT,
     type TEXT NOT NULL,
     scenario_time REAL NOT NULL,
     wall_time INTEGER NOT NULL,
     payload TEXT NOT NULL,
     key TEXT UNIQUE,
     PRIMARY KEY (session, seq)
   ) WITHOUT ROWID;
   CREATE INDEX events_by_team_type ON events(session, team, type);`,
  // 2: stored telemetry (inject artifacts and live hosts' logs); background activity is regenerated.
  `CREATE TABLE telemetry (
     id INTEGER PRIMARY KEY,
     session TEXT NOT NULL,
     team TEXT NOT NULL,
     ts INTEGER NOT NULL,
     host TEXT NOT NULL,
     user TEXT,
     action TEXT NOT NULL,
     source TEXT NOT NULL,
     trackable TEXT,
     doc TEXT NOT NULL
   );
   CREATE INDEX telemetry_by_time ON telemetry(session, team, ts);`,
  // 3: which process runs each session (one runner per session).
  `CREATE TABLE runner_leases (
     session TEXT PRIMARY KEY,
     host TEXT NOT NULL,
     pid INTEGER NOT NULL,
     heartbeat INTEGER NOT NULL
   );`,
  // 4: one row rewritten at start to prove the database takes writes (see EventStore.checkWritable).
  `CREATE TABLE store_probe (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     pid INTEGER NOT NULL,
     at INTEGER NOT NULL
   );`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this cyrange (${SCHEMA_VERSION}) — upgrade cyrange`,
    );
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
