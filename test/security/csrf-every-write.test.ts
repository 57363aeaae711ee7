/**
 * CSRF on every cookie-authenticated write the OpenAPI document lists (derived at test time, so a
 * route added later is covered without editing this file): a cross-site request — foreign or `null`
 * Origin, `Sec-Fetch-Site: cross-site`, no or another login's CSRF token, the body types a
 * cross-site form can send — is refused with 403 `csrf_failed` and writes nothing to the log; the
 * same request done properly (own Origin, the login's token, JSON) gets past authentication and
 * CSRF (neither 401 nor 403).
 */
import { actionEvent } from '../../src/response/action-events';
import { openApiDocument } from '../../src/server/openapi';
import type { Client } from '../server/support/harness';
import {
  type Operation,
  operations,
  type SecurityServer,
  startSecurityServer,
} from './support/security-server';

jest.setTimeout(60_000);

let s: SecurityServer;

beforeAll(async () => {
  s = await startSecurityServer();
});
afterAll(async () => {
  await s?.close();
});

/** Cookie-authenticated writes: every non-GET operation without `security: []`. */
const WRITES: Operation[] = operations(openApiDocument()).filter(
  (op) => !['GET', 'HEAD', 'OPTIONS'].includes(op.method) && op.security === undefined,
);

/** Concrete values for path parameters, fresh per request (a DELETE may consume them). */
function fillPath(pattern: string): string {
  return pattern.replace(/\{(\w+)\}/g, (_m, name: string) => {
    switch (name) {
      case 'team':
        return 't01';
      case 'draft':
        return s.draftOf('t01');
      case 'attachment':
        return s.attachmentOf('t01');
      case 'inject':
        return 'report-due';
      case 'verb':
        return 'skip';
      case 'host':
        return 'pc-victim';
      case 'id':
        if (pattern.startsWith('/api/links')) return s.server.createJoinLink({ role: 'spectator' }).id;
        return String(undoable());
      default:
        // A parameter this suite does not know yet: the route still gets every CSRF case.
        return 'x';
    }
  });
}

function undoable(): number {
  const [e] = s.append([
    actionEvent(
      't01',
      't01',
      { action: 'proxy.block', domain: 'ads.example' },
      { ok: true, changed: 'the proxy denies ads.example', fidelity: 'simulated' },
    ),
  ]);
  return e!.seq;
}

/** A body the route accepts when one is known; `{}` otherwise (a 422 still proves CSRF passed). */
const BODIES: Record<string, unknown> = {
  'POST /api/links': { role: 'spectator' },
  'POST /api/teams/{team}/reports': {
    kind: 'incident',
    to: 'management',
    title: 'csrf check',
    hosts: ['pc-victim'],
    indicators: [],
    techniques: [],
    timeline: [],
    narrative: 'n',
  },
  'POST /api/teams/{team}/grades': { expectation: 'debrief', level: 'excellent', reason: 'ok' },
  'POST /api/teams/{team}/overrides': { expectation: 'debrief', points: 30, reason: 'range fault' },
  'POST /api/teams/{team}/hints': { hint: 'look at the proxy log' },
  'POST /api/teams/{team}/actions': { action: 'evidence.collect', host: 'pc-victim', kind: 'processes' },
  'POST /api/teams/{team}/actions/{id}/undo': { reason: 'wrong domain' },
  'POST /api/exercise/clock': { action: 'speed', speed: 1 },
  'POST /api/exercise/injects/{inject}/{verb}': { team: 't01', reason: 'level B' },
  'POST /api/review/summary': { notes: 'good escalation' },
  'POST /api/scoreboard/freeze': { frozen: false, reason: 'live board' },
  'POST /api/teams/{team}/drafts': { title: 'draft' },
  'PUT /api/teams/{team}/drafts/{draft}': { title: 'edited' },
  'POST /api/teams/{team}/telemetry/search': {
    from: Date.UTC(2026, 0, 5, 9),
    to: Date.UTC(2026, 0, 5, 9, 5),
  },
  'POST /api/teams/{team}/attachments': {
    name: 'x.txt',
    contentType: 'text/plain',
    content: Buffer.from('x').toString('base64'),
  },
};
const bodyOf = (op: Operation): unknown => BODIES[`${op.method} ${op.pattern}`] ?? {};

/** The roles that write: the white cell and a team member (each route allows at least one). */
const WRITERS = [['controller'], ['team', 't01']] as const;

async function properWriter(op: Operation): Promise<{ role: (typeof WRITERS)[number]; status: number }> {
  let last = { role: WRITERS[0] as (typeof WRITERS)[number], status: 0 };
  for (const role of WRITERS) {
    const c = await s.login(role[0], role[1]);
    const r = await c.req(op.method, fillPath(op.pattern), bodyOf(op), {
      headers: { origin: s.url, 'sec-fetch-site': 'same-origin' },
    });
    last = { role, status: r.status };
    if (r.status !== 403) return last;
  }
  return last;
}

interface Attack {
  name: string;
  run(
    c: Client,
    other: Client,
    op: Operation,
    path: string,
  ): Promise<{ status: number; body: { error?: { code?: string } } }>;
}

const FORM = 'title=x&kind=incident';
const ATTACKS: Attack[] = [
  { name: 'no x-csrf-token', run: (c, _o, op, path) => c.req(op.method, path, bodyOf(op), { csrf: false }) },
  {
    name: "another login's token",
    run: (c, o, op, path) =>
      c.req(op.method, path, bodyOf(op), { csrf: false, headers: { 'x-csrf-token': o.csrf } }),
  },
  {
    name: 'foreign Origin (with the right token)',
    run: (c, _o, op, path) =>
      c.req(op.method, path, bodyOf(op), { headers: { origin: 'https://evil.example' } }),
  },
  {
    name: 'Origin null (sandboxed frame)',
    run: (c, _o, op, path) => c.req(op.method, path, bodyOf(op), { headers: { origin: 'null' } }),
  },
  {
    name: 'Sec-Fetch-Site cross-site (with the right token)',
    run: (c, _o, op, path) =>
      c.req(op.method, path, bodyOf(op), { headers: { 'sec-fetch-site': 'cross-site' } }),
  },
  {
    name: 'Sec-Fetch-Site same-site, another port or subdomain (with the right token)',
    run: (c, _o, op, path) =>
      c.req(op.method, path, bodyOf(op), { headers: { 'sec-fetch-site': 'same-site' } }),
  },
  ...['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'].map(
    (type): Attack => ({
      name: `${type} body, no token`,
      run: (c, _o, op, path) =>
        c.req(op.method, path, undefined, { csrf: false, raw: FORM, headers: { 'content-type': type } }),
    }),
  ),
  {
    name: 'a cross-site form exactly as a browser posts it',
    run: (c, _o, op, path) =>
      c.req(op.method, path, undefined, {
        csrf: false,
        raw: FORM,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
          'sec-fetch-mode': 'navigate',
        },
      }),
  },
];

describe('every cookie-authenticated write', () => {
  test('the OpenAPI document lists the writes this suite derives', () => {
    // The document is the source; a sanity floor so an empty derivation cannot pass silently.
    expect(WRITES.length).toBeGreaterThanOrEqual(15);
    expect(WRITES.map((w) => `${w.method} ${w.pattern}`)).toContain('POST /api/teams/{team}/reports');
  });

  test.each(WRITES.map((op) => [`${op.method} ${op.pattern}`, op] as const))(
    '%s: cross-site → 403 and nothing written; done properly → past CSRF',
    async (_name, op) => {
      const proper = await properWriter(op);
      expect([0, 401, 403]).not.toContain(proper.status);
      const c = await s.login(proper.role[0], proper.role[1]);
      const other = await s.login(proper.role[0], proper.role[1]);
      const path = fillPath(op.pattern);
      const before = s.lastSeq();
      const refused: string[] = [];
      for (const attack of ATTACKS) {
        const r = await attack.run(c, other, op, path);
        refused.push(`${attack.name}: ${r.status} ${r.body?.error?.code}`);
      }
      expect(refused).toEqual(ATTACKS.map((a) => `${a.name}: 403 csrf_failed`));
      expect(s.writtenSince(before)).toEqual([]);
      // The same login still writes when it asks properly (the refusals did not lock it out).
      const again = await c.req(op.method, path, bodyOf(op));
      expect([401, 403]).not.toContain(again.status);
    },
  );
});
