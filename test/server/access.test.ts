/**
 * People and access: join tokens (random, hashed at rest, exchanged for an httpOnly SameSite
 * cookie), rate-limited login, logout and revocation (which also ends the login's sockets).
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { AccessStore } from '../../src/server/access/access-store';
import { Client, connect, type Harness, request, startHarness } from './support/harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness({ config: { loginAttempts: 5, loginWindowMs: 60_000 } });
});
afterEach(async () => {
  await h.close();
});

function rawDb(path: string): Database.Database {
  return new Database(path, { readonly: true });
}

describe('join tokens', () => {
  it('are 256 random bits and only their SHA-256 is stored', async () => {
    const links = Array.from({ length: 20 }, () => h.server.createJoinLink({ role: 'team', team: 't01' }));
    const tokens = new Set(links.map((l) => l.token));
    expect(tokens.size).toBe(20);
    for (const l of links) {
      expect(l.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(l.token, 'base64url')).toHaveLength(32);
      expect(l.url).toBe(`${h.url}/join#${l.token}`);
    }
    const c = await Client.join(h.url, links[0]!.token);
    const db = rawDb(h.dbPath);
    try {
      const dump = JSON.stringify([
        db.prepare('SELECT * FROM server_join_links').all(),
        db.prepare('SELECT * FROM server_logins').all(),
      ]);
      for (const l of links) {
        expect(dump).not.toContain(l.token);
        expect(dump).toContain(createHash('sha256').update(l.token).digest('hex'));
      }
      const sid = c.cookie.match(/cyrange_sid=([^;]+)/)![1]!;
      expect(dump).not.toContain(sid);
      expect(dump).not.toContain(c.csrf);
    } finally {
      db.close();
    }
  });

  it('log in with an httpOnly, SameSite=Strict session cookie and say who the caller is', async () => {
    const link = h.server.createJoinLink({ role: 'team', team: 't02', label: 'Blue Herons' });
    const r = await request(h.url, 'POST', '/api/auth/join', { token: link.token, name: 'alice' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ role: 'team', team: 't02', label: 'alice (Blue Herons)' });
    const cookies = r.headers.getSetCookie();
    const sid = cookies.find((c) => c.startsWith('cyrange_sid='))!;
    expect(sid).toMatch(/HttpOnly/);
    expect(sid).toMatch(/SameSite=Strict/);
    expect(sid).toMatch(/Path=\//);
    const csrf = cookies.find((c) => c.startsWith('cyrange_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    const c = await Client.join(h.url, link.token);
    const me = await c.req('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'team', team: 't02', session: 'test-session', csrfToken: c.csrf });
  });

  it('refuse unknown, malformed, revoked and expired tokens alike', async () => {
    const controller = await h.login('controller');
    const link = h.server.createJoinLink({ role: 'spectator' });
    const revoked = await controller.req('DELETE', `/api/links/${link.id}`);
    expect(revoked.status).toBe(204);
    const expired = h.server.createJoinLink({ role: 'spectator', ttlHours: 1e-9 });
    await new Promise((r) => setTimeout(r, 5));
    const bad = ['x'.repeat(43), 'short', link.token, expired.token];
    for (const token of bad) {
      const r = await request(h.url, 'POST', '/api/auth/join', { token });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        error: {
          code: 'unauthenticated',
          message: 'this join link is unknown, expired or revoked',
          field: 'body.token',
        },
      });
    }
  });
});

describe('sessions sharing a database', () => {
  it('refuse a join token of another session', async () => {
    const other = new AccessStore(h.store.db, () => Date.now());
    const { token } = other.createLink({
      session: 'another-exercise',
      role: 'controller',
      label: 'x',
      ttlMs: 60_000,
    });
    const r = await request(h.url, 'POST', '/api/auth/join', { token });
    expect(r.status).toBe(401);
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After once a client address exceeds its attempts, even with a good token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await request(h.url, 'POST', '/api/auth/join', { token: 'A'.repeat(43) })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const good = h.server.createJoinLink({ role: 'team', team: 't01' });
    const r = await request(h.url, 'POST', '/api/auth/join', { token: good.token });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('rate_limited');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});

describe('logout and revocation', () => {
  it('logout ends the login: the cookie no longer works', async () => {
    const c = await h.login('evaluator');
    expect((await c.req('GET', '/api/me')).status).toBe(200);
    expect((await c.req('POST', '/api/auth/logout')).status).toBe(204);
    const after = await c.req('GET', '/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
  });

  it('revoking a link ends its logins and disconnects their sockets', async () => {
    const controller = await h.login('controller');
    const link = (await controller.req('POST', '/api/links', { role: 'team', team: 't01' })).body;
    expect(link.token).toBeDefined();
    const member = await Client.join(h.url, link.token);
    const socket = await member.socket();
    const gone = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    expect((await controller.req('DELETE', `/api/links/${link.id}`)).status).toBe(204);
    expect(await gone).toBe('io server disconnect');
    expect((await member.req('GET', '/api/me')).status).toBe(401);
    const listed = (await controller.req('GET', '/api/links')).body.links;
    expect(listed.find((l: { id: string }) => l.id === link.id)).toMatchObject({ revoked: true });
    expect(JSON.stringify(listed)).not.toContain(link.token);
    member.disconnect();
  });

  it('refuses a socket without a valid login with connect_error data', async () => {
    for (const cookie of [undefined, 'cyrange_sid=nope', `cyrange_sid=${'B'.repeat(43)}`]) {
      const s = connect(h.url, cookie);
      const err = await new Promise<Error & { data?: unknown }>((resolve) =>
        s.once('connect_error', resolve),
      );
      expect(err.data).toEqual({ code: 'unauthenticated', message: 'log in with a join link first' });
      s.disconnect();
    }
  });
});

describe('socket limits', () => {
  it('caps the sockets one login holds open, and frees a slot on disconnect', async () => {
    await h.close();
    h = await startHarness({ config: { maxSocketsPerLogin: 3 } });
    const c = await h.login('spectator');
    const open = [await c.socket(), await c.socket(), await c.socket()];
    const refused = connect(h.url, c.cookie);
    const err = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      refused.once('connect_error', resolve),
    );
    expect(err.data?.code).toBe('rate_limited');
    refused.disconnect();
    open[0]!.disconnect();
    await new Promise((r) => setTimeout(r, 50));
    const again = await c.socket();
    expect(again.connected).toBe(true);
    // Another login is not affected.
    expect((await (await h.login('spectator')).socket()).connected).toBe(true);
  });

  it('disconnects a socket when its login expires', async () => {
    await h.close();
    h = await startHarness({ config: { sessionTtlMs: 400 } });
    const c = await h.login('evaluator');
    const s = await c.socket();
    const started = Date.now();
    const reason = await new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await c.req('GET', '/api/me')).status).toBe(401);
  });
});
