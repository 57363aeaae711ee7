/**
 * What every answer to bad input must be (docs/API.md "Errors"): a 4xx carrying the one error
 * envelope `{ error: { code, message, field? } }` whose code maps to that status, or a 2xx the
 * operation documents. Never a 5xx, a 3xx or a hang. A verdict is a sentence, not a throw, so a
 * fuzz run collects every failure with the seed and the input that reproduce it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, type ErrorCode } from '../../../src/wire/errors';

/**
 * The status each error code is sent with, read from the table in docs/API.md "Errors", so the
 * server is checked against its documentation (a code without a status there, like the socket-only
 * `timeout`, maps to none).
 */
export const STATUS_OF: Partial<Record<ErrorCode, number>> = Object.fromEntries(
  [
    ...readFileSync(join(__dirname, '../../../docs/API.md'), 'utf8').matchAll(/^\| `(\w+)` \| (\d{3}) \|/gm),
  ].map((m) => [m[1], Number(m[2])]),
);

/** Why `body` is not the error envelope (with a code and message), or undefined when it is. */
export function envelopeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return `not an object: ${preview(body)}`;
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return `keys ${keys.join(',')} instead of error`;
  const e = (body as { error: unknown }).error as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null) return 'error is not an object';
  if (!ERROR_CODES.includes(e.code as ErrorCode)) return `unknown code ${String(e.code)}`;
  if (typeof e.message !== 'string' || e.message.length === 0) return 'no message';
  if (e.field !== undefined && typeof e.field !== 'string') return 'field is not a string';
  const extra = Object.keys(e).filter((k) => !['code', 'message', 'field'].includes(k));
  if (extra.length) return `extra keys ${extra.join(',')}`;
  if (/at .*\.(ts|js):\d+/.test(e.message)) return 'a stack trace in the message';
  return undefined;
}

/** Why an error answer (status + body) breaks the contract, or undefined when it keeps it. */
export function errorAnswerProblem(status: number, body: unknown): string | undefined {
  const problem = envelopeProblem(body);
  if (problem) return problem;
  const code = (body as { error: { code: ErrorCode } }).error.code;
  if (STATUS_OF[code] !== status) return `code ${code} sent with ${status} (documented: ${STATUS_OF[code]})`;
  return undefined;
}

export interface Answer {
  status: number;
  body: unknown;
  contentType: string;
}

/**
 * Why an answer to fuzzed input breaks the contract: a 5xx (but a documented 503 `unavailable`),
 * a redirect, a 4xx outside the envelope, a 2xx the operation does not document or whose JSON
 * does not parse.
 */
export function answerProblem(a: Answer, documented: number[]): string | undefined {
  // The one documented 5xx: a capability this server was started without (no live range, no
  // session runner) — answered the same whatever the input, never caused by it.
  if (a.status === 503 && documented.includes(503) && !errorAnswerProblem(a.status, a.body)) return undefined;
  if (a.status >= 500) return `${a.status} ${preview(a.body)}`;
  if (a.status >= 400) {
    const p = errorAnswerProblem(a.status, a.body);
    return p ? `${a.status}: ${p}` : undefined;
  }
  if (a.status >= 200 && a.status < 300) {
    if (!documented.includes(a.status)) return `${a.status} is not documented (${documented.join(',')})`;
    if (a.contentType.includes('application/json') && typeof a.body === 'string')
      return `${a.status} with JSON that does not parse`;
    return undefined;
  }
  return `unexpected status ${a.status}`;
}

export function preview(v: unknown, max = 200): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}
