/** Reading and writing the two cookies of the server (no dependency needed for so little). */

export const SESSION_COOKIE = 'cyrange_sid';
export const CSRF_COOKIE = 'cyrange_csrf';

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header || header.length > 8192) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (!out.has(name)) out.set(name, raw);
  }
  return out;
}

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  maxAgeMs: number;
}

/** `Set-Cookie` value; SameSite=Strict and Path=/ always. Values are base64url, so never need escaping. */
export function serializeCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    'Path=/',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(o.maxAgeMs / 1000))}`,
  ];
  if (o.httpOnly) parts.push('HttpOnly');
  if (o.secure) parts.push('Secure');
  return parts.join('; ');
}
