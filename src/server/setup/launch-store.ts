/**
 * Launches, in the exercise's SQLite database: the scenario text and the controller's choices
 * are written (and committed) before a launch is acknowledged, so a crash mid-launch loses
 * nothing, and a restarted `cyrange serve` finds the exercise it launched. The server owns this
 * table (`server_` prefix), like the join links.
 */
import type Database from 'better-sqlite3';
import type { LaunchRecordView, SetupInput } from '../../wire/setup';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS server_launches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  scenario TEXT NOT NULL,
  text TEXT NOT NULL,
  options TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL,
  session TEXT,
  exercise TEXT,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

interface Row {
  id: number;
  source: string;
  scenario: string;
  text: string;
  options: string;
  mode: 'live' | 'simulated';
  status: LaunchRecordView['status'];
  session: string | null;
  exercise: string | null;
  error: string | null;
  created_at: number;
}

/** A stored launch: its record plus the text and choices it was launched with. */
export interface StoredLaunch extends LaunchRecordView {
  input: SetupInput;
}

function fromRow(row: Row): StoredLaunch {
  return {
    id: row.id,
    source: row.source,
    scenario: row.scenario,
    mode: row.mode,
    status: row.status,
    ...(row.session !== null ? { session: row.session } : {}),
    ...(row.exercise !== null ? { exercise: row.exercise } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    createdAt: row.created_at,
    input: { ...(JSON.parse(row.options) as Omit<SetupInput, 'text'>), text: row.text },
  };
}

/** The record without the text (what the page is sent). */
export function recordView(launch: StoredLaunch): LaunchRecordView {
  const { input: _input, ...view } = launch;
  return view;
}

export class LaunchStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    db.exec(SCHEMA);
  }

  /** Writes a new launch (status `launching`); the write is committed when this returns. */
  begin(input: SetupInput, scenario: string, exercise: string | undefined): StoredLaunch {
    const { text, ...options } = input;
    const at = this.now();
    const id = this.db
      .prepare(
        `INSERT INTO server_launches (source, scenario, text, options, mode, status, exercise, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'launching', ?, ?, ?)`,
      )
      .run(
        input.source,
        scenario,
        text,
        JSON.stringify(options),
        input.mode,
        exercise ?? null,
        at,
        at,
      ).lastInsertRowid;
    return this.get(Number(id))!;
  }

  get(id: number): StoredLaunch | undefined {
    const row = this.db.prepare('SELECT * FROM server_launches WHERE id = ?').get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** The newest launch, whatever its status. */
  latest(): StoredLaunch | undefined {
    const row = this.db.prepare('SELECT * FROM server_launches ORDER BY id DESC LIMIT 1').get() as
      | Row
      | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** The newest launch that reached `launched` (or was torn down after): what a restart resumes. */
  latestLaunched(): StoredLaunch | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM server_launches WHERE status IN ('launched', 'torn-down') ORDER BY id DESC LIMIT 1`,
      )
      .get() as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  launched(id: number, session: string): void {
    this.set(id, { status: 'launched', session, error: null });
  }

  failed(id: number, error: string): void {
    this.set(id, { status: 'failed', error });
  }

  tornDown(id: number): void {
    this.set(id, { status: 'torn-down' });
  }

  /** Launches left `launching` by a process that died: marked `interrupted`, never resumed half-done. */
  markInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE server_launches SET status = 'interrupted', error = 'the server stopped during this launch', updated_at = ? WHERE status = 'launching'`,
      )
      .run(this.now()).changes;
  }

  private set(
    id: number,
    fields: { status: LaunchRecordView['status']; session?: string; error?: string | null },
  ): void {
    this.db
      .prepare(
        `UPDATE server_launches SET status = ?, session = COALESCE(?, session), error = ?, updated_at = ? WHERE id = ?`,
      )
      .run(fields.status, fields.session ?? null, fields.error ?? null, this.now(), id);
  }
}
