/**
 * The fuzzers' callers: one per role (and none), each logged in for real through a join link with
 * its cookies and CSRF token, sending raw bodies with any content type, every request bounded by a
 * deadline so a hang is a failure rather than a stuck suite.
 */

import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Role } from '../../../src/wire/roles';
import type { Harness } from '../../server/support/harness';
import type { Answer } from './verdict';

export interface Caller {
  name: string;
  role?: Role;
  team?: string;
  cookie?: string;
  csrf?: string;
}

/** Who the fuzzers call as: nobody, every role, and a member of another team. */
export const CALLERS: Caller[] = [
  { name: 'anonymous' },
  { name: 'spectator', role: 'spectator' },
  { name: 'team t01', role: 'team', team: 't01' },
  { name: 'team t02', role: 'team', team: 't02' },
  { name: 'evaluator', role: 'evaluator' },
  { name: 'controller', role: 'controller' },
];

/** Logs `caller` in (again): a fresh join link, real cookies, the answer's CSRF token. */
export async function logIn(h: Harness, caller: Caller): Promise<Caller> {
  if (!caller.role) return caller;
  const c = await h.login(caller.role, caller.team);
  return { ...caller, cookie: c.cookie, csrf: c.csrf };
}

export interface Sent {
  method: string;
  path: string;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Timed extends Answer {
  ms: number;
  headers: IncomingHttpHeaders;
}

/**
 * Sends one request as `caller` with node's own HTTP client (fetch refuses a GET with a body; a
 * hostile client does not); a request without an answer within `deadlineMs` is an error.
 */
export function send(url: string, caller: Caller, s: Sent, deadlineMs = 10_000): Promise<Timed> {
  const headers: Record<string, string> = { ...s.headers };
  if (caller.cookie) headers.cookie = caller.cookie;
  if (caller.csrf) headers['x-csrf-token'] = caller.csrf;
  if (s.body !== undefined && s.contentType !== undefined) headers['content-type'] = s.contentType;
  if (s.body !== undefined) headers['content-length'] = String(Buffer.byteLength(s.body));
  const started = performance.now();
  return new Promise<Timed>((resolve, reject) => {
    const req = httpRequest(`${url}${s.path}`, { method: s.method, headers, timeout: deadlineMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text, the verdict says whether JSON was promised
        }
        resolve({
          status: res.statusCode ?? 0,
          body,
          contentType: String(res.headers['content-type'] ?? ''),
          headers: res.headers,
          ms: performance.now() - started,
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${deadlineMs} ms`)));
    req.on('error', reject);
    req.end(s.body);
  });
}
