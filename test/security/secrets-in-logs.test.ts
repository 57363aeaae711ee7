/**
 * No secret in what the server writes: `cyrange serve` runs as a real process through a compressed
 * exercise day (logins with every printed link, failed logins with wrong, malformed, truncated and
 * revoked tokens, links created and revoked through the API, sockets with good and bad cookies,
 * reports, drafts, attachments, controller verbs, refused CSRF writes, exports, logouts), and then
 * no join token, session cookie or CSRF token — nor any wrong token tried — appears in its stderr,
 * in its stdout after the start banner, in the exercise database file (events, drafts, logins: only
 * hashes are stored) or in any review export. By design the banner at start prints the join links
 * (one per role and team) for the operator: that is the one place they appear.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { repeats } from '../reliability/support/scale';
import { Client, connect, goodReport, request } from '../server/support/harness';
import { type ServeProcess, startServe } from './support/serve-process';

jest.setTimeout(90_000);

let serve: ServeProcess;
/** Every secret of the day: join tokens, session ids, CSRF tokens, and the wrong tokens tried. */
const secrets = new Map<string, string>();
const downloads: Record<string, string> = {};
let bannerEnd = 0;

function cookieValue(c: Client, name: string): string {
  return c.cookie.match(new RegExp(`${name}=([^;]+)`))![1]!;
}

async function join(token: string): Promise<Client> {
  const c = await Client.join(serve.url, token);
  secrets.set(`sid of ${c.role}${c.team ?? ''}`, cookieValue(c, 'cyrange_sid'));
  secrets.set(`csrf of ${c.role}${c.team ?? ''}`, c.csrf);
  return c;
}

beforeAll(async () => {
  serve = await startServe(['--start', '--set', 'speed=600']);
  bannerEnd = serve.stdout().length;
  for (const [label, token] of serve.tokens) secrets.set(`printed link ${label}`, token);
  expect([...serve.tokens.keys()]).toEqual(
    expect.arrayContaining(['controller', 'evaluator', 't01', 't02', 'spectator']),
  );

  // Logins first: the server allows 10 join attempts a minute per address, and the failed ones
  // below use up the rest (they are answered 401/422, then 429 — secrets must stay out either way).
  const controller = await join(serve.tokens.get('controller')!);
  const evaluator = await join(serve.tokens.get('evaluator')!);
  const spectator = await join(serve.tokens.get('spectator')!);
  const members = [await join(serve.tokens.get('t01')!), await join(serve.tokens.get('t02')!)];
  const rounds = repeats(3, 20);
  for (let round = 0; round < rounds; round++) {
    for (const member of members) {
      const team = member.team!;
      const sock = await member.socket();
      await sock.timeout(3000).emitWithAck('team:score:get', { team });
      expect(
        (await member.req('POST', `/api/teams/${team}/reports`, goodReport({ title: `r${round}` }))).status,
      ).toBe(201);
      const draft = await member.req('POST', `/api/teams/${team}/drafts`, { title: `draft ${round}` });
      expect(draft.status).toBe(201);
      const att = await member.req('POST', `/api/teams/${team}/attachments`, {
        name: 'notes.txt',
        contentType: 'text/plain',
        content: Buffer.from(`notes ${round}`).toString('base64'),
        draft: draft.body.draft.id,
      });
      expect(att.status).toBe(201);
      await member.req('GET', `/api/teams/${team}/inbox`);
      await member.req('GET', `/api/teams/${team}/hosts?limit=5`);
      // Refused writes: no CSRF token, and a foreign Origin.
      expect(
        (await member.req('POST', `/api/teams/${team}/reports`, goodReport(), { csrf: false })).status,
      ).toBe(403);
      expect(
        (
          await member.req('POST', `/api/teams/${team}/reports`, goodReport(), {
            headers: { origin: 'https://evil.example' },
          })
        ).status,
      ).toBe(403);
      sock.disconnect();
    }
    // Failed logins: well-formed but unknown, malformed, a printed token cut short.
    const wrong = randomBytes(32).toString('base64url');
    secrets.set(`wrong token ${round}`, wrong);
    const cut = serve.tokens.get('t01')!.slice(0, 40);
    for (const token of [wrong, 'not-a-token', cut]) {
      const r = await request(serve.url, 'POST', '/api/auth/join', { token });
      expect([401, 422, 429]).toContain(r.status);
    }
    // A session cookie nobody was given, over REST and socket.io.
    const forged = randomBytes(32).toString('base64url');
    secrets.set(`forged sid ${round}`, forged);
    const me = await request(serve.url, 'GET', '/api/me', undefined, {
      headers: { cookie: `cyrange_sid=${forged}` },
    });
    expect(me.status).toBe(401);
    const bad = connect(serve.url, `cyrange_sid=${forged}`);
    await new Promise((resolve) => bad.once('connect_error', resolve));
    bad.disconnect();
    // Links made and revoked through the API; the revoked one is then tried.
    const link = await controller.req('POST', '/api/links', {
      role: 'team',
      team: 't01',
      label: `extra ${round}`,
    });
    expect(link.status).toBe(201);
    const token = String(link.body.token);
    secrets.set(`api link ${round}`, token);
    expect((await controller.req('DELETE', `/api/links/${link.body.id}`)).status).toBe(204);
    expect([401, 429]).toContain((await request(serve.url, 'POST', '/api/auth/join', { token })).status);
    await evaluator.req('GET', '/api/teams/t02/reports');
    await spectator.req('GET', '/api/scoreboard');
    await controller.req('POST', '/api/exercise/clock', { action: 'speed', speed: 600 });
  }
  for (const member of members) expect((await member.req('POST', '/api/auth/logout')).status).toBe(204);
  await controller.req('POST', '/api/exercise/injects/report-due/skip', { team: 't02', reason: 'level B' });
  await evaluator.req('POST', '/api/review/summary', { notes: 'good escalation' });
  for (const format of ['json', 'csv', 'html', 'xapi']) {
    const r = await controller.req('GET', `/api/review/export/${format}`);
    expect(r.status).toBe(200);
    downloads[format] = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  }
  for (const team of ['t01', 't02']) {
    const r = await controller.req('GET', `/api/teams/${team}/review?format=html`);
    downloads[`${team} review`] = String(r.body);
  }
  controller.disconnect();
  expect(await serve.stop()).toBe(0);
}, 85_000);

afterAll(async () => {
  await serve?.close();
});

function leaks(text: string): string[] {
  return [...secrets].filter(([, value]) => value && text.includes(value)).map(([what]) => what);
}

test('the day had secrets to leak', () => {
  // 5 printed links, 5 logins (a session id and a CSRF token each), a wrong, a forged and an API token per round.
  expect(secrets.size).toBeGreaterThanOrEqual(5 + 2 * 5 + 3 * 3);
  // The session id, CSRF token and join token are 43-character base64url strings.
  for (const [what, value] of secrets) if (!what.startsWith('printed')) expect(value).toMatch(/^[\w-]{20,}$/);
});

test('the banner prints the join links (by design) and nothing else does', () => {
  const banner = serve.stdout().slice(0, bannerEnd);
  expect(leaks(banner).sort()).toEqual([...serve.tokens.keys()].map((k) => `printed link ${k}`).sort());
  expect(leaks(serve.stdout().slice(bannerEnd))).toEqual([]);
});

test('no secret in stderr (it stays empty through such a day: 0 bytes here)', () => {
  expect(leaks(serve.stderr())).toEqual([]);
});

test('no secret anywhere in the database file (events, drafts, logins: hashes only)', () => {
  const files = [serve.dbPath, `${serve.dbPath}-wal`].filter((f) => existsSync(f));
  expect(files.length).toBeGreaterThan(0);
  const bytes = files.map((f) => readFileSync(f).toString('latin1')).join('\n');
  expect(bytes.length).toBeGreaterThan(10_000);
  expect(bytes).toContain('report.submitted');
  expect(leaks(bytes)).toEqual([]);
});

test('no secret in any export', () => {
  expect(Object.keys(downloads)).toHaveLength(6);
  for (const [format, text] of Object.entries(downloads))
    expect({ format, leaks: leaks(text) }).toEqual({ format, leaks: [] });
});
