/**
 * Who is calling, and may they: the REST side of the one authorisation policy
 * (`access/principal.ts`). `authenticate` reads the session cookie once per request; `guard`
 * checks a permission (on the team named in the route) and answers 401/403 otherwise.
 * The socket.io side is `live/socket-auth.ts`, built on the same lookup.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { AccessStore } from '../access/access-store';
import { can, type Permission, type Principal } from '../access/principal';
import { looksLikeSecret } from '../access/secrets';
import { ApiError } from './api-error';
import { parseCookies, SESSION_COOKIE } from './cookies';

export interface Caller {
  principal: Principal;
  csrfHash: string;
  /** Wall ms when the login ends. */
  expiresAt: number;
}

/** The caller behind a `Cookie` header, if its session is valid for this exercise. */
export function callerFromCookies(
  access: AccessStore,
  session: string,
  cookieHeader: string | undefined,
): Caller | undefined {
  const sid = parseCookies(cookieHeader).get(SESSION_COOKIE);
  if (!looksLikeSecret(sid)) return undefined;
  const found = access.lookup(sid);
  if (!found || found.principal.session !== session) return undefined;
  return found;
}

export function authenticate(access: AccessStore, session: string): RequestHandler {
  return (req, res, next) => {
    const caller = callerFromCookies(access, session, req.headers.cookie);
    if (caller) res.locals.caller = caller;
    next();
  };
}

export function callerOf(res: Response): Caller | undefined {
  return res.locals.caller as Caller | undefined;
}

export function principalOf(res: Response): Principal {
  const caller = callerOf(res);
  if (!caller) throw new ApiError('unauthenticated', 'log in with a join link first');
  return caller.principal;
}

/**
 * Requires a login with `permission`; team-scoped permissions are checked against the route's
 * `:team`. A team member asking for another team gets 404, as if it did not exist, so team ids
 * are not confirmed to outsiders; everything else without the permission gets 403.
 */
export function guard(permission: Permission, teamOf?: (req: Request) => string | undefined): RequestHandler {
  return (req, res, next) => {
    const p = principalOf(res);
    const team = teamOf?.(req);
    if (can(p, permission, team)) return next();
    if (p.role === 'team' && team !== undefined && team !== p.team && can({ ...p, team }, permission, team)) {
      throw new ApiError('not_found', `no team "${team}" visible to you`, 'params.team');
    }
    throw new ApiError('forbidden', `a ${p.role} may not do this`);
  };
}
