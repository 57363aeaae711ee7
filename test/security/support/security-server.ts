/**
 * A real exercise server for the security suite: a plan (the quickstart with a manual expectation by
 * default), a session in a real SQLite file, the server on 127.0.0.1 port 0 — optionally serving a
 * fresh build of the web console and a terminal backend — and logins made with real join links.
 * The login rate limit is raised: these suites log in hundreds of times on purpose.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../../../src/compiler/plan';
import type { EngineEvent, StoredEvent } from '../../../src/engine/events/event-types';
import type { EventStore } from '../../../src/engine/store/event-store';
import type { ServerConfig } from '../../../src/server/config';
import { DraftStore } from '../../../src/server/investigation/draft-store';
import type { StartedServer } from '../../../src/server/server';
import type { TerminalBackend } from '../../../src/server/terminal/terminal-backend';
import type { Role } from '../../../src/wire/roles';
import {
  type Client,
  goodReport,
  quickstartPlanWithDebrief,
  SESSION,
  startHarness,
} from '../../server/support/harness';
import { buildWeb } from '../../web/support/web-harness';

export { SESSION };

const SCORING_OUTPUTS = new Set(['score.changed', 'expectation.resolved']);

export interface SecurityServer {
  url: string;
  server: StartedServer;
  store: EventStore;
  webRoot?: string;
  /** Appends facts as the engine would, then lets the server read them. */
  append(events: EngineEvent[], scenarioTime?: number): StoredEvent[];
  login(role: Role, team?: string): Promise<Client>;
  /** A draft of `team` made directly in the store (as a team member's browser would have). */
  draftOf(team: string, title?: string): string;
  /** An attachment of `team` made directly in the store. */
  attachmentOf(team: string, name?: string, content?: string): string;
  /** The last sequence number of the session's log. */
  lastSeq(): number;
  /**
   * Types of the facts after `seq`, without scoring's own outputs (the rescoring tick writes
   * those whenever it likes): what a request could have written.
   */
  writtenSince(seq: number): string[];
  close(): Promise<void>;
}

export interface SecurityServerOptions {
  plan?: Plan;
  web?: boolean;
  terminals?: TerminalBackend;
  config?: Partial<ServerConfig>;
}

export async function startSecurityServer(options: SecurityServerOptions = {}): Promise<SecurityServer> {
  const webDir = options.web ? mkdtempSync(join(tmpdir(), 'cyrange-security-web-')) : undefined;
  if (webDir) buildWeb(webDir);
  const h = await startHarness({
    plan: options.plan ?? quickstartPlanWithDebrief(),
    runner: true,
    runnerWallMs: 170_000,
    config: { loginAttempts: 100_000, ...options.config },
    ...(webDir ? { webRoot: webDir } : {}),
    ...(options.terminals ? { terminals: options.terminals } : {}),
  });
  const { store } = h;
  const drafts = new DraftStore(store.db, SESSION);
  return {
    url: h.url,
    server: h.server,
    store,
    ...(webDir ? { webRoot: webDir } : {}),
    append: (events, scenarioTime) => h.append(events, scenarioTime),
    login: (role, team) => h.login(role, team),
    draftOf(team, title = 'draft') {
      return drafts.create(team, goodReport({ title }) as never, 'security', Date.now()).id;
    },
    attachmentOf(team, name = 'notes.txt', content = 'notes') {
      return drafts.addAttachment(
        team,
        { name, contentType: 'text/plain', content: Buffer.from(content) },
        'security',
        Date.now(),
      ).id;
    },
    lastSeq() {
      const row = store.db.prepare('SELECT MAX(seq) AS seq FROM events WHERE session = ?').get(SESSION) as {
        seq: number | null;
      };
      return row.seq ?? 0;
    },
    writtenSince(seq) {
      const rows = store.db
        .prepare('SELECT type FROM events WHERE session = ? AND seq > ? ORDER BY seq')
        .all(SESSION, seq) as { type: string }[];
      return rows.map((r) => r.type).filter((t) => !SCORING_OUTPUTS.has(t));
    },
    async close() {
      await h.close();
      if (webDir) rmSync(webDir, { recursive: true, force: true });
    },
  };
}

/** Every operation of the OpenAPI document, as `{ method, pattern, security }`. */
export interface Operation {
  method: string;
  pattern: string;
  /** `[]` for the public operations; undefined for those that need a login (the cookie). */
  security?: unknown[];
  /** "Roles: …" as the document states them. */
  description?: string;
}

export function operations(doc: unknown): Operation[] {
  const paths = (
    doc as { paths: Record<string, Record<string, { security?: unknown[]; description?: string }>> }
  ).paths;
  return Object.entries(paths).flatMap(([pattern, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      pattern,
      ...(op.security !== undefined ? { security: op.security } : {}),
      ...(op.description !== undefined ? { description: op.description } : {}),
    })),
  );
}
