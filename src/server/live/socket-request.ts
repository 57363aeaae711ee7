/**
 * How every socket request is answered: rate-limited per connection, the payload validated
 * (it is `unknown` until then), and exactly one ack — the result, the error envelope, or a
 * timeout error when the handler misses the server's deadline.
 */
import type { Ack, ApiErrorBody } from '../../wire/errors';
import { SERVER_ACK_DEADLINE_MS } from '../../wire/socket-events';
import { ApiError } from '../http/api-error';
import type { RateLimiter } from '../http/rate-limiter';
import type { CyrangeSocket } from './types';

export type RequestHandler<T> = (payload: unknown, socket: CyrangeSocket) => T | Promise<T>;

function errorBody(e: unknown, log: (m: string) => void): ApiErrorBody {
  if (e instanceof ApiError) return e.body().error;
  log(`socket handler: ${(e as Error)?.stack ?? String(e)}`);
  return { code: 'internal', message: 'internal error — the server log has the details' };
}

export function onRequest<T>(
  socket: CyrangeSocket,
  event: string,
  limiter: RateLimiter,
  log: (m: string) => void,
  handler: RequestHandler<T>,
  deadlineMs = SERVER_ACK_DEADLINE_MS,
): void {
  (socket as unknown as { on(e: string, l: (...args: unknown[]) => void): void }).on(event, (...args) => {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return; // requests without an ack cannot be answered: ignored
    const reply = ack as (a: Ack<T>) => void;
    let answered = false;
    const answer = (a: Ack<T>) => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      reply(a);
    };
    const timer = setTimeout(
      () => answer({ ok: false, error: { code: 'timeout', message: `no answer within ${deadlineMs} ms` } }),
      deadlineMs,
    );
    if (!limiter.take(socket.id).allowed) {
      answer({ ok: false, error: { code: 'rate_limited', message: 'too many requests — slow down' } });
      return;
    }
    const payload = args.length > 1 ? args[0] : undefined;
    Promise.resolve()
      .then(() => handler(payload, socket))
      .then(
        (data) => answer({ ok: true, data }),
        (e: unknown) => answer({ ok: false, error: errorBody(e, log) }),
      );
  });
}
