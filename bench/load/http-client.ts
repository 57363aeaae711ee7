/**
 * A participant's browser reduced to HTTP: logs in with a join token (from its own loopback
 * address, as 500 browsers would come from many addresses — the join rate limit is per address),
 * keeps the login's cookies and CSRF token, and sends JSON. Every answer is counted by status class
 * so the day can prove "no 5xx"; a request that does not answer within its deadline counts as a
 * failure too, never as a hang.
 */
import { request as httpRequest } from 'node:http';

export interface HttpTally {
  byStatus: Map<number, number>;
  /** Requests that failed at the transport (reset, refused, deadline). */
  failures: string[];
  /** 5xx answers: method, path, status, body. */
  serverErrors: string[];
  /**
   * Requests sent again because the server closed an idle keep-alive connection just as it was
   * reused (Node's documented race, `request.reusedSocket`): browsers retry these too.
   */
  retries: number;
}

export function newTally(): HttpTally {
  return { byStatus: new Map(), failures: [], serverErrors: [], retries: 0 };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  /** Wall ms when the request was sent and when its answer had arrived. */
  sentAt: number;
  answeredAt: number;
}

const DEADLINE_MS = 30_000;

/** One HTTP exchange; JSON bodies in and out. */
export function send<T>(
  url: string,
  method: string,
  path: string,
  tally: HttpTally,
  o: { body?: unknown; headers?: Record<string, string>; localAddress?: string } = {},
  retried = false,
): Promise<Answer<T>> {
  const payload = o.body === undefined ? undefined : JSON.stringify(o.body);
  const sentAt = Date.now();
  return new Promise((resolve) => {
    const req = httpRequest(
      `${url}${path}`,
      {
        method,
        headers: {
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...o.headers,
        },
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
        timeout: DEADLINE_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
          const text = Buffer.concat(chunks).toString('utf8');
          if (status >= 500) tally.serverErrors.push(`${method} ${path} → ${status} ${text.slice(0, 200)}`);
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
          const answer = { status, body: body as T, sentAt, answeredAt: Date.now() };
          resolve(answer);
        });
        res.on('error', fail);
      },
    );
    // A transport failure is an answer with status 0: counted, and the day goes on to its accounts.
    function fail(e: Error & { code?: string }) {
      if (!retried && req.reusedSocket && e.code === 'ECONNRESET') {
        tally.retries++;
        resolve(send<T>(url, method, path, tally, o, true));
        return;
      }
      tally.failures.push(`${method} ${path}: ${e.message}`);
      resolve({ status: 0, body: undefined as T, sentAt, answeredAt: Date.now() });
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
    req.on('error', fail);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A logged-in browser. */
export class Browser {
  private constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
    readonly role: string,
    readonly team: string | undefined,
    private readonly tally: HttpTally,
  ) {}

  /** `POST /api/auth/join` from `localAddress` (any 127.x.y.z on Linux loopback). */
  static async join(url: string, token: string, tally: HttpTally, localAddress?: string): Promise<Browser> {
    const payload = JSON.stringify({ token });
    const { status, text, cookies } = await new Promise<{ status: number; text: string; cookies: string[] }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${url}/api/auth/join`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
            ...(localAddress ? { localAddress } : {}),
            timeout: DEADLINE_MS,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                text: Buffer.concat(chunks).toString('utf8'),
                cookies: ((res.headers['set-cookie'] as string[] | undefined) ?? []).map(
                  (c) => c.split(';')[0]!,
                ),
              }),
            );
          },
        );
        req.on('timeout', () => req.destroy(new Error(`no answer within ${DEADLINE_MS} ms`)));
        req.on('error', reject);
        req.end(payload);
      },
    );
    tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
    if (status !== 200) {
      if (status >= 500) tally.serverErrors.push(`POST /api/auth/join → ${status} ${text.slice(0, 200)}`);
      throw new Error(`join from ${localAddress ?? 'default address'} failed: ${status} ${text}`);
    }
    const me = JSON.parse(text) as { role: string; team?: string; csrfToken: string };
    return new Browser(url, cookies.join('; '), me.csrfToken, me.role, me.team, tally);
  }

  req<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    return send<T>(this.url, method, path, this.tally, {
      ...(body !== undefined ? { body } : {}),
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf, ...headers },
    });
  }
}

/**
 * The n-th loopback source address for logins: 127.0.(1 + n / perAddress).(1 + …), so that no
 * address makes more than `perAddress` joins — under the server's per-address limit.
 */
export function loopbackAddress(n: number, perAddress: number): string {
  const k = Math.floor(n / perAddress);
  return `127.0.${1 + Math.floor(k / 250)}.${1 + (k % 250)}`;
}
