/**
 * Acks with deadlines (a real socket.io server and client: a handler that misses the deadline
 * answers a timeout error exactly once) and configuration precedence (flags, then environment,
 * then defaults; values that do not parse are errors, never silently replaced).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import { DEFAULTS, resolveServerConfig } from '../../src/server/config';
import { RateLimiter } from '../../src/server/http/rate-limiter';
import { onRequest } from '../../src/server/live/socket-request';
import type { CyrangeIo } from '../../src/server/live/types';

describe('socket request acks', () => {
  let io: CyrangeIo;
  let url: string;

  beforeAll(async () => {
    const http = createServer();
    io = new Server(http) as CyrangeIo;
    const limiter = new RateLimiter(1000, 1000, () => Date.now());
    io.on('connection', (socket) => {
      onRequest(
        socket,
        'slow',
        limiter,
        () => {},
        () => new Promise((r) => setTimeout(() => r('late'), 300)),
        100,
      );
      onRequest(
        socket,
        'fast',
        limiter,
        () => {},
        () => 'quick',
        100,
      );
      onRequest(
        socket,
        'boom',
        limiter,
        () => {},
        () => {
          throw new Error('bug with secret detail');
        },
      );
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => io.close(() => r()));
  });

  it('answers a timeout error when the handler misses the server deadline, and only once', async () => {
    const s = ioClient(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const answers: unknown[] = [];
    s.emit('slow' as never, {}, (a: unknown) => answers.push(a));
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 500));
    expect(answers).toEqual([{ ok: false, error: { code: 'timeout', message: 'no answer within 100 ms' } }]);
    expect(await s.timeout(1000).emitWithAck('fast' as never, {} as never)).toEqual({
      ok: true,
      data: 'quick',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    // A bug answers `internal` without its details.
    expect(await s.timeout(1000).emitWithAck('boom' as never, {} as never)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'internal error — the server log has the details' },
    });
    s.disconnect();
  });
});

describe('configuration precedence', () => {
  it('uses defaults when nothing is given', () => {
    expect(resolveServerConfig()).toEqual({ ok: true, config: DEFAULTS });
    expect(DEFAULTS.host).toBe('127.0.0.1');
  });

  it('takes flags over the environment over defaults', () => {
    const env = {
      CYRANGE_PORT: '9000',
      CYRANGE_HOST: '127.0.0.2',
      CYRANGE_PUBLIC_URL: 'https://range.example:8443/x',
    };
    const fromEnv = resolveServerConfig({ env });
    expect(fromEnv).toMatchObject({
      ok: true,
      config: { port: 9000, host: '127.0.0.2', publicUrl: 'https://range.example:8443' },
    });
    const fromFlags = resolveServerConfig({ env, flags: { port: '0', host: '::1' } });
    expect(fromFlags).toMatchObject({ ok: true, config: { port: 0, host: '::1' } });
  });

  it('refuses values that do not parse, naming their source', () => {
    expect(resolveServerConfig({ env: { CYRANGE_PORT: 'eighty' } })).toEqual({
      ok: false,
      error:
        'CYRANGE_PORT: port `eighty` is not a whole number from 0 to 65535 — give e.g. 8080 (0 picks a free port)',
    });
    expect(resolveServerConfig({ flags: { port: '70000' } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^--port/),
    });
    expect(resolveServerConfig({ env: { CYRANGE_PORT: '' } })).toMatchObject({ ok: false });
    expect(resolveServerConfig({ flags: { publicUrl: 'ftp://x' } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^--public-url/),
    });
    expect(resolveServerConfig({ flags: { host: 'a b' } })).toMatchObject({ ok: false });
  });
});
