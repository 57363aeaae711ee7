/**
 * No engine answering is an environment error with the fix, reached quickly: a missing socket fails at
 * once, and an endpoint that accepts but never answers fails at the ping deadline instead of hanging.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { connectEngine } from '../../src/range/docker/clients';
import { RangeFailure } from '../../src/range/range-error';

const saved = process.env.DOCKER_HOST;
afterEach(() => {
  if (saved === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = saved;
});

test('a missing engine socket fails at once with how to get an engine', async () => {
  process.env.DOCKER_HOST = `unix://${join(tmpdir(), `cyrange-no-engine-${process.pid}.sock`)}`;
  const started = Date.now();
  const error = await connectEngine().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RangeFailure);
  expect((error as Error).message).toMatch(/no Docker engine at .* — run infra\/engine\/ensure-engine\.sh/);
  expect(Date.now() - started).toBeLessThan(2_000);
});

test('an engine that never answers fails at the deadline, not never', async () => {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.DOCKER_HOST = `tcp://127.0.0.1:${(server.address() as { port: number }).port}`;
  const started = Date.now();
  const error = await connectEngine().catch((e: unknown) => e);
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  expect(error).toBeInstanceOf(RangeFailure);
  expect((error as Error).message).toContain('timed out');
  expect(Date.now() - started).toBeLessThan(8_000);
}, 15_000);

test('`cyrange status` exits 3 with the fix when no engine answers', async () => {
  process.env.DOCKER_HOST = `unix://${join(tmpdir(), `cyrange-no-engine-${process.pid}.sock`)}`;
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  try {
    expect(await main(['node', 'cyrange', 'status'])).toBe(3);
  } finally {
    spy.mockRestore();
  }
  expect(writes.join('')).toContain('ensure-engine.sh');
});
