/**
 * Join links and login sessions, in the exercise's SQLite database next to the event log.
 * The server owns these tables (created here, `server_` prefix); the engine's migrations do not
 * know them. Only hashes of tokens and session ids are stored.
 */
import type Database from 'better-sqlite3';
import type { Role } from '../../wire/roles';
import type { JoinLinkInfo } from '../../wire/views';
import type { Principal } from './principal';
import { hashSecret, newId, newSecret } from './secrets';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS server_join_links (
  id TEXT PRIMARY KEY,
  session TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  team TEXT,
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS server_logins (
  id TEXT PRIMARY KEY,
  sid_hash TEXT NOT NULL UNIQUE,
  csrf_hash TEXT NOT NULL,
  link_id TEXT NOT NULL REFERENCES server_join_links(id),
  label TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS server_logins_by_link ON server_logins(link_id);
`;

interface LinkRow {
  id: string;
  session: string;
  role: Role;
  team: string | null;
  label: string;
  created_at: number;
  expires_at: number;
  revoked: number;
}

export interface NewLink {
  session: string;
  role: Role;
  team?: string;
  label: string;
  ttlMs: number;
}

export interface Login {
  principal: Principal;
  /** Cookie value: the login session id (shown once). */
  sid: string;
  csrfToken: string;
  expiresAt: number;
}

function info(row: LinkRow): JoinLinkInfo {
  return {
    id: row.id,
    role: row.role,
    ...(row.team !== null ? { team: row.team } : {}),
    label: row.label,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revoked: row.revoked === 1,
  };
}

export class AccessStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    db.exec(SCHEMA);
  }

  createLink(input: NewLink): { link: JoinLinkInfo; token: string } {
    const token = newSecret();
    const id = newId();
    const at = this.now();
    this.db
      .prepare(
        `INSERT INTO server_join_links (id, session, token_hash, role, team, label, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.session,
        hashSecret(token),
        input.role,
        input.team ?? null,
        input.label,
        at,
        at + input.ttlMs,
      );
    return { link: this.link(input.session, id)!, token };
  }

  link(session: string, id: string): JoinLinkInfo | undefined {
    const row = this.db
      .prepare('SELECT * FROM server_join_links WHERE session = ? AND id = ?')
      .get(session, id) as LinkRow | undefined;
    return row ? info(row) : undefined;
  }

  listLinks(session: string): JoinLinkInfo[] {
    const rows = this.db
      .prepare('SELECT * FROM server_join_links WHERE session = ? ORDER BY created_at, id')
      .all(session) as LinkRow[];
    return rows.map(info);
  }

  /** Revokes a link and ends every login made with it; the ids of those logins, or undefined for no such link. */
  revokeLink(session: string, id: string): string[] | undefined {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE server_join_links SET revoked = 1 WHERE session = ? AND id = ?')
        .run(session, id).changes;
      if (changed === 0) return undefined;
      const logins = this.db.prepare('SELECT id FROM server_logins WHERE link_id = ?').all(id) as {
        id: string;
      }[];
      this.db.prepare('DELETE FROM server_logins WHERE link_id = ?').run(id);
      return logins.map((l) => l.id);
    })();
  }

  /**
   * Exchanges a join token of `session` for a new login session; undefined when the token is
   * unknown, of another session, expired or revoked.
   */
  redeem(session: string, token: string, name: string | undefined, ttlMs: number): Login | undefined {
    const at = this.now();
    const row = this.db
      .prepare(
        'SELECT * FROM server_join_links WHERE token_hash = ? AND session = ? AND revoked = 0 AND expires_at > ?',
      )
      .get(hashSecret(token), session, at) as LinkRow | undefined;
    if (!row) return undefined;
    const sid = newSecret();
    const csrfToken = newSecret();
    const id = newId();
    const label = name ? `${name} (${row.label})` : row.label;
    const expiresAt = Math.min(at + ttlMs, row.expires_at);
    this.db
      .prepare(
        `INSERT INTO server_logins (id, sid_hash, csrf_hash, link_id, label, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, hashSecret(sid), hashSecret(csrfToken), row.id, label, at, expiresAt);
    return { principal: principalOf(row, label, id), sid, csrfToken, expiresAt };
  }

  /** The principal behind a session cookie, with the hash of its CSRF token and when the login ends. */
  lookup(sid: string): { principal: Principal; csrfHash: string; expiresAt: number } | undefined {
    const row = this.db
      .prepare(
        `SELECT l.id AS login_id, l.label AS login_label, l.csrf_hash, l.expires_at AS login_expires, k.*
           FROM server_logins l JOIN server_join_links k ON k.id = l.link_id
          WHERE l.sid_hash = ? AND l.expires_at > ? AND k.revoked = 0`,
      )
      .get(hashSecret(sid), this.now()) as
      | (LinkRow & { login_id: string; login_label: string; csrf_hash: string; login_expires: number })
      | undefined;
    if (!row) return undefined;
    return {
      principal: principalOf(row, row.login_label, row.login_id),
      csrfHash: row.csrf_hash,
      expiresAt: row.login_expires,
    };
  }

  /** A fresh CSRF token for a login (the old one stops working). */
  rotateCsrf(loginId: string): string {
    const token = newSecret();
    this.db.prepare('UPDATE server_logins SET csrf_hash = ? WHERE id = ?').run(hashSecret(token), loginId);
    return token;
  }

  logout(loginId: string): void {
    this.db.prepare('DELETE FROM server_logins WHERE id = ?').run(loginId);
  }
}

function principalOf(row: LinkRow, label: string, loginId: string): Principal {
  return {
    role: row.role,
    ...(row.team !== null ? { team: row.team } : {}),
    session: row.session,
    label,
    loginId,
  };
}
