/**
 * Cross-site request forgery protection for cookie-authenticated writes, in three layers:
 * 1. every write must be `application/json` (a cross-site form cannot send that without a CORS
 *    preflight, which this server never grants);
 * 2. a browser's `Origin` (or `Sec-Fetch-Site`) must say the request comes from this server;
 * 3. a logged-in caller must echo its CSRF token (the `cyrange_csrf` cookie, bound to the login
 *    by its hash) in the `x-csrf-token` header.
 */
import type { Request, RequestHandler } from 'express';
import { hashSecret, looksLikeSecret, sameSecret } from '../access/secrets';
import { ApiError } from './api-error';
import { callerOf } from './authenticate';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function ownOrigins(req: Request, publicUrl: string | undefined): Set<string> {
  const set = new Set<string>();
  if (publicUrl) set.add(publicUrl);
  const host = req.headers.host;
  if (host) set.add(`${req.protocol}://${host}`);
  return set;
}

export function csrfProtection(publicUrl: () => string | undefined): RequestHandler {
  return (req, res, next) => {
    if (SAFE.has(req.method)) return next();
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins(req, publicUrl()).has(origin)) {
      throw new ApiError('csrf_failed', `cross-origin request from ${origin} refused`, 'header.origin');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new ApiError('csrf_failed', `cross-site request (${site}) refused`, 'header.sec-fetch-site');
    }
    // The token before the body type: a cross-site form (no token) is a CSRF failure (403), not a
    // media-type question (415); a same-site caller with the token still learns it must send JSON.
    const caller = callerOf(res);
    if (caller) {
      const token = req.headers['x-csrf-token'];
      if (!looksLikeSecret(token) || !sameSecret(hashSecret(token), caller.csrfHash)) {
        throw new ApiError('csrf_failed', 'missing or wrong x-csrf-token header', 'header.x-csrf-token');
      }
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if ((length > 0 || req.headers['transfer-encoding'] !== undefined) && !req.is('application/json')) {
      throw new ApiError(
        'unsupported_media_type',
        'send the body as application/json',
        'header.content-type',
      );
    }
    next();
  };
}
