/** The REST API, same origin: JSON in and out, the CSRF token echoed on every write. */
import type { ApiErrorBody, ErrorEnvelope } from '../../src/wire/errors';
import type { Me } from '../../src/wire/views';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

let csrfToken: string | undefined;

function csrfFromCookie(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'cyrange_csrf') return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function rememberCsrf(token: string): void {
  csrfToken = token;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const write = method !== 'GET';
  const token = csrfToken ?? csrfFromCookie();
  const r = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      ...(write ? { 'content-type': 'application/json' } : {}),
      ...(write && token ? { 'x-csrf-token': token } : {}),
      ...headers,
    },
    ...(write ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  if (r.status === 204) return undefined as T;
  const text = await r.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!r.ok) {
    const err = (parsed as ErrorEnvelope | undefined)?.error ?? {
      code: 'internal',
      message: `HTTP ${r.status}`,
    };
    throw new ApiFailure(r.status, err);
  }
  return parsed as T;
}

/** Raw text (attachments), never interpreted as markup. */
export async function fetchText(path: string): Promise<string> {
  const r = await fetch(path, { credentials: 'same-origin' });
  if (!r.ok) throw new ApiFailure(r.status, { code: 'internal', message: `HTTP ${r.status}` });
  return r.text();
}

/** Who is logged in, or undefined without a login. */
export async function whoAmI(): Promise<Me | undefined> {
  try {
    const me = await api<Me>('GET', '/api/me');
    rememberCsrf(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 401) return undefined;
    throw e;
  }
}
