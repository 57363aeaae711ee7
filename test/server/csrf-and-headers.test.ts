/**
 * Cookie-authenticated writes need the login's CSRF token, a JSON body and (from a browser) our
 * own Origin; every answer carries the security headers.
 */
import { type Client, goodReport, type Harness, request, startHarness } from './support/harness';

let h: Harness;
let team: Client;

beforeAll(async () => {
  h = await startHarness();
  team = await h.login('team', 't01');
});
afterAll(async () => {
  await h.close();
});

describe('CSRF protection', () => {
  it("accepts a write with the login's token", async () => {
    expect((await team.req('POST', '/api/teams/t01/reports', goodReport())).status).toBe(201);
  });

  it("refuses a write without the token, with a wrong one, or with another login's token", async () => {
    const other = await h.login('team', 't01');
    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['garbage', { 'x-csrf-token': 'nope' }],
      ['well-formed but wrong', { 'x-csrf-token': 'C'.repeat(43) }],
      ["another login's", { 'x-csrf-token': other.csrf }],
    ];
    for (const [name, headers] of cases) {
      const r = await team.req('POST', '/api/teams/t01/reports', goodReport(), { csrf: false, headers });
      expect({ name, status: r.status, code: r.body.error?.code }).toEqual({
        name,
        status: 403,
        code: 'csrf_failed',
      });
    }
  });

  it('refuses a write from a foreign Origin or a cross-site fetch even with the right token', async () => {
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of foreign) {
      const r = await team.req('POST', '/api/teams/t01/reports', goodReport(), { headers });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('csrf_failed');
    }
    const same = await team.req('POST', '/api/teams/t01/reports', goodReport(), {
      headers: { origin: h.url, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(201);
  });

  it('refuses form-encoded and text bodies (what a cross-site form can send) with 415', async () => {
    for (const type of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const r = await team.req('POST', '/api/teams/t01/reports', undefined, {
        raw: 'kind=incident&title=x',
        headers: { 'content-type': type },
      });
      expect({ type, status: r.status }).toEqual({ type, status: 415 });
      expect(r.body.error.code).toBe('unsupported_media_type');
    }
  });

  it('refuses a login from a foreign Origin (login CSRF)', async () => {
    const link = h.server.createJoinLink({ role: 'spectator' });
    const r = await request(
      h.url,
      'POST',
      '/api/auth/join',
      { token: link.token },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(r.status).toBe(403);
  });

  it('lets GET through without a token (reads change nothing)', async () => {
    expect((await team.req('GET', '/api/teams/t01/reports', undefined, { csrf: false })).status).toBe(200);
  });
});

describe('security headers', () => {
  it('are on every answer: API, errors, the join page', async () => {
    for (const path of ['/api/health', '/api/nope', '/join', '/api/openapi.json']) {
      const r = await request(h.url, 'GET', path);
      expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-powered-by')).toBeNull();
    }
    const api = await request(h.url, 'GET', '/api/health');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('serves attachments as downloads, never as a page of ours', async () => {
    const [m] = h.append([
      {
        type: 'message.delivered',
        team: 't01',
        payload: {
          inject: 'soc-call',
          from: 'soc',
          sender: 'SOC',
          subject: 's',
          body: 'b',
          attachments: [
            { name: 'x"; evil=.html', contentType: 'text/html', content: '<script>alert(1)</script>' },
          ],
        },
      },
    ]);
    const r = await team.req('GET', `/api/teams/t01/inbox/${m!.seq}/attachments/0`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="x___evil_.html"');
  });
});
