/**
 * Security headers on every answer: every console page, its assets, every operation of the
 * OpenAPI document (derived at test time) for a logged-in caller and for nobody, errors, and the
 * review exports. Cookies: the session cookie httpOnly, both SameSite=Strict and Path=/, and behind
 * an https public URL every cookie Secure (set, rotated and cleared) plus HSTS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../../src/server/openapi';
import { CONSOLE_PAGES } from '../../src/server/web/web-console';
import { type Answer, type Client, request } from '../server/support/harness';
import { operations, type SecurityServer, startSecurityServer } from './support/security-server';

jest.setTimeout(90_000);

let s: SecurityServer;
let controller: Client;

beforeAll(async () => {
  s = await startSecurityServer({ web: true });
  controller = await s.login('controller');
}, 80_000);
afterAll(async () => {
  await s?.close();
});

/** Every header every answer must carry, and the ones it must not. */
function headerProblems(r: Answer): string[] {
  const h = r.headers;
  const problems: string[] = [];
  const csp = h.get('content-security-policy') ?? '';
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!, d.slice(1)]),
  );
  const script = directives.get('script-src') ?? directives.get('default-src') ?? [];
  if (!directives.get('default-src')?.includes("'self'")) problems.push(`default-src: ${csp}`);
  if (
    script.some((v) => v === "'unsafe-inline'" || v === "'unsafe-eval'" || v === '*' || v.startsWith('http'))
  )
    problems.push(`script-src allows more than our own files: ${csp}`);
  if (!script.length) problems.push('no script-src');
  if (directives.get('frame-ancestors')?.join(' ') !== "'none'") problems.push(`frame-ancestors: ${csp}`);
  if (directives.get('object-src')?.join(' ') !== "'none'") problems.push(`object-src: ${csp}`);
  if (directives.get('base-uri')?.join(' ') !== "'none'") problems.push(`base-uri: ${csp}`);
  if (h.get('x-content-type-options') !== 'nosniff') problems.push('x-content-type-options');
  if (h.get('x-frame-options') !== 'DENY') problems.push('x-frame-options');
  if (h.get('referrer-policy') !== 'no-referrer') problems.push('referrer-policy');
  if (h.get('x-powered-by') !== null) problems.push('x-powered-by');
  if (h.get('server') !== null) problems.push(`server: ${h.get('server')}`);
  return problems;
}

function concrete(pattern: string): string {
  return pattern.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name === 'team' ? 't01' : name === 'format' ? 'html' : name === 'host' ? 'dc' : '1',
  );
}

describe('security headers', () => {
  test('on every console page, for nobody and for a login', async () => {
    expect(CONSOLE_PAGES.length).toBeGreaterThanOrEqual(10);
    const seen: Record<string, string[]> = {};
    for (const page of CONSOLE_PAGES) {
      for (const who of ['nobody', 'controller'] as const) {
        const r = who === 'nobody' ? await request(s.url, 'GET', page) : await controller.req('GET', page);
        expect({ page, status: r.status }).toEqual({ page, status: 200 });
        expect(r.headers.get('content-type')).toMatch(/^text\/html/);
        seen[`${who} ${page}`] = headerProblems(r);
      }
    }
    expect(Object.entries(seen).filter(([, p]) => p.length)).toEqual([]);
  });

  test('on the console assets (and they are never sniffed as something else)', async () => {
    const manifest = JSON.parse(readFileSync(join(s.webRoot!, 'manifest.json'), 'utf8')) as {
      js: string;
      css: string;
    };
    for (const [file, type] of [
      [manifest.js, /javascript/],
      [manifest.css, /text\/css/],
    ] as const) {
      const r = await request(s.url, 'GET', `/assets/${file}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(type);
      expect(headerProblems(r)).toEqual([]);
    }
    expect(headerProblems(await request(s.url, 'GET', '/assets/missing.js'))).toEqual([]);
  });

  test('on every API operation of the document, answered or refused, and on errors', async () => {
    const ops = operations(openApiDocument());
    expect(ops.length).toBeGreaterThanOrEqual(30);
    const problems: string[] = [];
    for (const op of ops) {
      if (op.pattern === '/api/auth/logout') continue; // would end the controller's login; below.
      const path = concrete(op.pattern);
      const body = op.method === 'GET' ? undefined : {};
      for (const r of [
        await request(s.url, op.method, path, body),
        await controller.req(op.method, path, body),
      ]) {
        for (const p of headerProblems(r)) problems.push(`${op.method} ${path} (${r.status}): ${p}`);
        if (r.headers.get('cache-control') !== 'no-store')
          problems.push(`${op.method} ${path}: cache-control`);
      }
    }
    for (const path of ['/api/nope', '/nope', '/api/teams/t01/inbox/%ZZ']) {
      const r = await request(s.url, 'GET', path);
      for (const p of headerProblems(r)) problems.push(`${path} (${r.status}): ${p}`);
    }
    expect(problems).toEqual([]);
  });

  test('the HTML export is a download of ours with the same policy', async () => {
    const r = await controller.req('GET', '/api/review/export/html');
    expect(r.status).toBe(200);
    expect(headerProblems(r)).toEqual([]);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="review-[\w.-]+\.html"$/);
  });
});

/** `Set-Cookie` lines of an answer, as name → attribute list (lower case). */
function cookies(r: Answer | Response): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of r.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((p) => p.trim());
    out.set(
      pair!.split('=')[0]!,
      attrs.map((a) => a.toLowerCase()),
    );
  }
  return out;
}

async function join_(url: string, token: string): Promise<Response> {
  return fetch(`${url}/api/auth/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
}

describe('cookies', () => {
  test('over http: the session cookie httpOnly, both SameSite=Strict and Path=/, none Secure', async () => {
    const r = await join_(s.url, s.server.createJoinLink({ role: 'spectator' }).token);
    expect(r.status).toBe(200);
    const c = cookies(r);
    expect([...c.keys()].sort()).toEqual(['cyrange_csrf', 'cyrange_sid']);
    expect(c.get('cyrange_sid')).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    // The CSRF cookie is read by the page on purpose (it echoes it in x-csrf-token); it grants nothing alone.
    expect(c.get('cyrange_csrf')).toEqual(expect.arrayContaining(['samesite=strict', 'path=/']));
    expect(c.get('cyrange_csrf')).not.toContain('httponly');
    for (const attrs of c.values()) expect(attrs).not.toContain('secure');
  });

  test('behind an https public URL: every cookie Secure (login, rotation, logout) and HSTS', async () => {
    const https = await startSecurityServer({ config: { publicUrl: 'https://cyrange.test:8443' } });
    try {
      // The TLS terminator in front of it would call this address.
      const base = `http://127.0.0.1:${https.server.port}`;
      const r = await join_(base, https.server.createJoinLink({ role: 'team', team: 't01' }).token);
      expect(r.status).toBe(200);
      const set = cookies(r);
      for (const [name, attrs] of set)
        expect({ name, attrs }).toEqual({
          name,
          attrs: expect.arrayContaining(['secure', 'samesite=strict']),
        });
      const cookie = r.headers
        .getSetCookie()
        .map((l) => l.split(';')[0])
        .join('; ');
      // /api/me with a stale CSRF cookie rotates it: Secure as well.
      const me = await fetch(`${base}/api/me`, {
        headers: { cookie: cookie.replace(/cyrange_csrf=[^;]+/, `cyrange_csrf=${'A'.repeat(43)}`) },
      });
      expect(me.status).toBe(200);
      expect(me.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(cookies(me).get('cyrange_csrf')).toContain('secure');
      const { csrfToken } = (await me.json()) as { csrfToken: string };
      const out = await fetch(`${base}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
      });
      expect(out.status).toBe(204);
      for (const [name, attrs] of cookies(out))
        expect({ name, attrs }).toEqual({ name, attrs: expect.arrayContaining(['secure', 'max-age=0']) });
    } finally {
      await https.close();
    }
  });
});
