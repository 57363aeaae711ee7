import type Database from 'better-sqlite3';
import type { ArtifactRecord } from '../injects/telemetry-artifacts';
import type { FieldValue, TelemetryRecord } from '../telemetry/record';

export interface StoredTelemetryRow {
  session: string;
  team: string;
  /** `inject` for attack artifacts, `live` for logs collected from live hosts. */
  source: string;
  trackable: string | null;
  record: ArtifactRecord;
}

/**
 * Telemetry that cannot be regenerated from the seed: attack artifacts written when an inject
 * fires, and (later) live hosts' collected logs. Background activity is never stored here.
 * The trackable id stays in its own column: searches return `doc` only, so ground truth never
 * reaches a team.
 */
export class TelemetryTable {
  private readonly insertRow: Database.Statement;
  private readonly range: Database.Statement;
  private readonly rangeCount: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertRow = db.prepare(
      'INSERT INTO telemetry (session, team, ts, host, user, action, source, trackable, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.range = db.prepare(
      `SELECT id, ts, doc FROM telemetry WHERE session = ? AND team = ? AND ts >= ? AND ts < ?
       AND (ts > ? OR (ts = ? AND id > ?)) ORDER BY ts, id LIMIT ?`,
    );
    this.rangeCount = db.prepare(
      'SELECT COUNT(*) AS n FROM telemetry WHERE session = ? AND team = ? AND ts >= ? AND ts < ?',
    );
  }

  /** Number of one team's rows in [fromMs, toMs). */
  countRange(session: string, team: string, fromMs: number, toMs: number): number {
    return (this.rangeCount.get(session, team, fromMs, toMs) as { n: number }).n;
  }

  /** Call inside the transaction that writes the event acknowledging these rows. */
  insert(rows: StoredTelemetryRow[]): void {
    for (const r of rows) {
      this.insertRow.run(
        r.session,
        r.team,
        r.record.ts,
        r.record.host,
        r.record.user || null,
        r.record.action,
        r.source,
        r.trackable,
        JSON.stringify(r.record.fields),
      );
    }
  }

  /**
   * Rows of one team in [fromMs, toMs), ordered by (ts, id), strictly after the cursor
   * (`afterTs`, `afterId`), at most `limit`.
   */
  page(
    session: string,
    team: string,
    fromMs: number,
    toMs: number,
    after: { ts: number; id: number },
    limit: number,
  ): TelemetryRecord[] {
    const rows = this.range.all(session, team, fromMs, toMs, after.ts, after.ts, after.id, limit) as {
      id: number;
      ts: number;
      doc: string;
    }[];
    return rows.map((r) => ({
      id: `s:${r.id}`,
      ts: r.ts,
      fields: JSON.parse(r.doc) as Record<string, FieldValue>,
    }));
  }

  count(session: string, team?: string): number {
    const sql = team
      ? 'SELECT COUNT(*) AS n FROM telemetry WHERE session = ? AND team = ?'
      : 'SELECT COUNT(*) AS n FROM telemetry WHERE session = ?';
    const row = (team ? this.db.prepare(sql).get(session, team) : this.db.prepare(sql).get(session)) as {
      n: number;
    };
    return row.n;
  }
}
