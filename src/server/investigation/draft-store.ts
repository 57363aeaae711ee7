/**
 * Report drafts and attachments of every team, durable in the exercise's SQLite database (the
 * event store's connection: WAL, synchronous=FULL, so a saved draft survives a crash). Drafts are
 * working copies, not facts: they live in their own tables, and only a submission becomes an
 * event (`report.submitted`). Every read and write is scoped by (session, team).
 */
import { createHash, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AttachmentInfo, DraftInput, ReportDraft } from '../../wire/investigation';

interface DraftRow {
  id: string;
  team: string;
  revision: number;
  updated_by: string;
  updated_ms: number;
  body: string;
  attachments: string;
  submitted_seq: number | null;
}

interface AttachmentRow {
  id: string;
  team: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string;
  uploaded_ms: number;
  draft: string | null;
}

export class DraftStore {
  constructor(
    private readonly db: Database.Database,
    private readonly session: string,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS report_drafts (
        session TEXT NOT NULL, team TEXT NOT NULL, id TEXT NOT NULL,
        revision INTEGER NOT NULL, updated_by TEXT NOT NULL, updated_ms INTEGER NOT NULL,
        body TEXT NOT NULL, attachments TEXT NOT NULL DEFAULT '[]', submitted_seq INTEGER,
        PRIMARY KEY (session, team, id));
      CREATE TABLE IF NOT EXISTS report_attachments (
        session TEXT NOT NULL, team TEXT NOT NULL, id TEXT NOT NULL,
        name TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
        uploaded_by TEXT NOT NULL, uploaded_ms INTEGER NOT NULL, draft TEXT, content BLOB NOT NULL,
        PRIMARY KEY (session, team, id));
    `);
  }

  list(team: string): ReportDraft[] {
    const rows = this.db
      .prepare('SELECT * FROM report_drafts WHERE session = ? AND team = ? ORDER BY updated_ms, id')
      .all(this.session, team) as DraftRow[];
    return rows.map(toDraft);
  }

  count(team: string): number {
    return (
      this.db
        .prepare('SELECT COUNT(*) AS n FROM report_drafts WHERE session = ? AND team = ?')
        .get(this.session, team) as { n: number }
    ).n;
  }

  get(team: string, id: string): ReportDraft | undefined {
    const row = this.db
      .prepare('SELECT * FROM report_drafts WHERE session = ? AND team = ? AND id = ?')
      .get(this.session, team, id) as DraftRow | undefined;
    return row ? toDraft(row) : undefined;
  }

  create(team: string, body: DraftInput, by: string, now: number): ReportDraft {
    const id = `d-${randomBytes(6).toString('hex')}`;
    this.db
      .prepare(
        `INSERT INTO report_drafts (session, team, id, revision, updated_by, updated_ms, body)
         VALUES (?, ?, ?, 1, ?, ?, ?)`,
      )
      .run(this.session, team, id, by, now, JSON.stringify(body));
    return this.get(team, id)!;
  }

  /** Replaces the body; `expected` (the revision the writer read) guards against lost updates. */
  update(
    team: string,
    id: string,
    body: DraftInput,
    by: string,
    now: number,
    expected?: number,
  ): ReportDraft | 'conflict' | undefined {
    return this.db.transaction(() => {
      const d = this.get(team, id);
      if (!d) return undefined;
      if (d.submittedReport !== undefined) return 'conflict';
      if (expected !== undefined && expected !== d.revision) return 'conflict';
      this.db
        .prepare(
          `UPDATE report_drafts SET body = ?, revision = revision + 1, updated_by = ?, updated_ms = ?
           WHERE session = ? AND team = ? AND id = ?`,
        )
        .run(JSON.stringify(body), by, now, this.session, team, id);
      return this.get(team, id)!;
    })();
  }

  remove(team: string, id: string): boolean {
    return (
      this.db
        .prepare('DELETE FROM report_drafts WHERE session = ? AND team = ? AND id = ?')
        .run(this.session, team, id).changes === 1
    );
  }

  markSubmitted(team: string, id: string, seq: number): void {
    this.db
      .prepare('UPDATE report_drafts SET submitted_seq = ? WHERE session = ? AND team = ? AND id = ?')
      .run(seq, this.session, team, id);
  }

  // ── attachments ─────────────────────────────────────────────────────────────────────────────

  attachments(team: string): AttachmentInfo[] {
    const rows = this.db
      .prepare(
        `SELECT id, team, name, content_type, size, sha256, uploaded_by, uploaded_ms, draft
         FROM report_attachments WHERE session = ? AND team = ? ORDER BY uploaded_ms, id`,
      )
      .all(this.session, team) as AttachmentRow[];
    return rows.map(toAttachment);
  }

  attachmentCount(team: string): number {
    return (
      this.db
        .prepare('SELECT COUNT(*) AS n FROM report_attachments WHERE session = ? AND team = ?')
        .get(this.session, team) as { n: number }
    ).n;
  }

  addAttachment(
    team: string,
    input: { name: string; contentType: string; content: Buffer; draft?: string },
    by: string,
    now: number,
  ): AttachmentInfo {
    const id = `a-${randomBytes(6).toString('hex')}`;
    const sha256 = createHash('sha256').update(input.content).digest('hex');
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO report_attachments
           (session, team, id, name, content_type, size, sha256, uploaded_by, uploaded_ms, draft, content)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          this.session,
          team,
          id,
          input.name,
          input.contentType,
          input.content.length,
          sha256,
          by,
          now,
          input.draft ?? null,
          input.content,
        );
      if (input.draft) {
        const d = this.get(team, input.draft);
        if (d)
          this.db
            .prepare('UPDATE report_drafts SET attachments = ? WHERE session = ? AND team = ? AND id = ?')
            .run(JSON.stringify([...d.attachments, id]), this.session, team, input.draft);
      }
    })();
    return this.attachmentInfo(team, id)!;
  }

  attachmentInfo(team: string, id: string): AttachmentInfo | undefined {
    const row = this.db
      .prepare(
        `SELECT id, team, name, content_type, size, sha256, uploaded_by, uploaded_ms, draft
         FROM report_attachments WHERE session = ? AND team = ? AND id = ?`,
      )
      .get(this.session, team, id) as AttachmentRow | undefined;
    return row ? toAttachment(row) : undefined;
  }

  attachmentContent(team: string, id: string): { info: AttachmentInfo; content: Buffer } | undefined {
    const info = this.attachmentInfo(team, id);
    if (!info) return undefined;
    const row = this.db
      .prepare('SELECT content FROM report_attachments WHERE session = ? AND team = ? AND id = ?')
      .get(this.session, team, id) as { content: Buffer };
    return { info, content: row.content };
  }
}

function toDraft(r: DraftRow): ReportDraft & { submittedReport?: number } {
  return {
    id: r.id,
    team: r.team,
    revision: r.revision,
    updatedBy: r.updated_by,
    updatedMs: r.updated_ms,
    body: JSON.parse(r.body) as DraftInput,
    attachments: JSON.parse(r.attachments) as string[],
    ...(r.submitted_seq !== null ? { submittedReport: r.submitted_seq } : {}),
  };
}

function toAttachment(r: AttachmentRow): AttachmentInfo {
  return {
    id: r.id,
    team: r.team,
    name: r.name,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedMs: r.uploaded_ms,
    ...(r.draft !== null ? { draft: r.draft } : {}),
  };
}
