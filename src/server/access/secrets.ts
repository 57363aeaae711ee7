/**
 * Secrets of the access layer: join tokens, login session ids and CSRF tokens are 256 random
 * bits, base64url. Only their SHA-256 is stored: they carry full entropy, so a fast hash is
 * enough and a stolen database yields no usable credential.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_BYTES = 32;

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Short public id (for join links in listings and URLs to revoke them). */
export function newId(): string {
  return randomBytes(9).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A string that can be a secret we issued (rejects junk before hashing and DB lookups). */
export function looksLikeSecret(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
