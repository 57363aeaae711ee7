/**
 * Logging in with a join link: `POST /api/auth/join { token, name? }` exchanges the link's
 * token for an httpOnly, SameSite=Strict session cookie and a CSRF cookie. Attempts are
 * rate-limited per client address, and every failure looks the same.
 */
import { z } from 'zod';
import type { Me } from '../../wire/views';
import { hashSecret, looksLikeSecret, sameSecret } from '../access/secrets';
import { ApiError, parseOr422 } from '../http/api-error';
import { callerOf, guard, principalOf } from '../http/authenticate';
import { CSRF_COOKIE, parseCookies, SESSION_COOKIE, serializeCookie } from '../http/cookies';
import type { RouteGroup } from './route-context';

const joinBody = z
  .object({
    token: z.string().max(200),
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[^\p{Cc}]*$/u, 'no control characters')
      .optional(),
  })
  .strict();

export const authRoutes: RouteGroup = (r, ctx) => {
  r.post('/auth/join', (req, res) => {
    const decision = ctx.loginLimiter.take(req.ip ?? 'unknown');
    if (!decision.allowed) {
      const seconds = String(Math.ceil(decision.retryAfterMs / 1000));
      throw new ApiError('rate_limited', `too many join attempts — retry in ${seconds} s`, undefined, {
        'Retry-After': seconds,
      });
    }
    const body = parseOr422(joinBody, req.body, 'body');
    const login = looksLikeSecret(body.token)
      ? ctx.access.redeem(ctx.session, body.token, body.name, ctx.config.sessionTtlMs)
      : undefined;
    if (!login) {
      throw new ApiError('unauthenticated', 'this join link is unknown, expired or revoked', 'body.token');
    }
    const secure = ctx.baseUrl().startsWith('https:');
    const maxAgeMs = login.expiresAt - ctx.now();
    res.setHeader('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, login.sid, { httpOnly: true, secure, maxAgeMs }),
      serializeCookie(CSRF_COOKIE, login.csrfToken, { httpOnly: false, secure, maxAgeMs }),
    ]);
    const p = login.principal;
    const me: Me = {
      role: p.role,
      ...(p.team ? { team: p.team } : {}),
      session: p.session,
      label: p.label,
      csrfToken: login.csrfToken,
    };
    res.status(200).json(me);
  });

  r.post('/auth/logout', (_req, res) => {
    const p = principalOf(res);
    ctx.access.logout(p.loginId);
    ctx.disconnectLogin(p.loginId);
    // Cleared with the attributes they were set with (Secure behind https), so every browser honours it.
    const secure = ctx.baseUrl().startsWith('https:');
    res.setHeader('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, '', { httpOnly: true, secure, maxAgeMs: 0 }),
      serializeCookie(CSRF_COOKIE, '', { httpOnly: false, secure, maxAgeMs: 0 }),
    ]);
    res.status(204).end();
  });

  r.get('/me', guard('scoreboard:public'), (req, res) => {
    const caller = callerOf(res)!;
    const p = caller.principal;
    // The CSRF cookie the browser holds, when it still belongs to this login; otherwise a new one.
    const held = parseCookies(req.headers.cookie).get(CSRF_COOKIE);
    let csrfToken: string;
    if (looksLikeSecret(held) && sameSecret(hashSecret(held), caller.csrfHash)) {
      csrfToken = held;
    } else {
      csrfToken = ctx.access.rotateCsrf(p.loginId);
      const secure = ctx.baseUrl().startsWith('https:');
      res.setHeader(
        'Set-Cookie',
        serializeCookie(CSRF_COOKIE, csrfToken, {
          httpOnly: false,
          secure,
          maxAgeMs: ctx.config.sessionTtlMs,
        }),
      );
    }
    const me: Me = {
      role: p.role,
      ...(p.team ? { team: p.team } : {}),
      session: p.session,
      label: p.label,
      csrfToken,
    };
    res.json(me);
  });
};
