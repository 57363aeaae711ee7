/**
 * Range images: tagged by a hash of their inputs, never rebuilt when unchanged, and a failing build
 * (whose error arrives inside a 200 response) is reported as an error with the failing step.
 */
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { Clients } from '../../src/range/docker/clients';
import { baseTag, ensureImages, roleTag } from '../../src/range/images/image-builder';
import { IMAGE_NAMES } from '../../src/range/images/image-catalog';
import { pruneImages } from '../../src/range/images/prune-images';
import type { RangeEvent } from '../../src/range/progress';
import { engineClients } from './support/live-range';

let clients: Clients;
beforeAll(async () => {
  clients = await engineClients();
});

test('every image exists after a build, and a second build only inspects (all cached, fast)', async () => {
  await ensureImages(clients);
  const events: RangeEvent[] = [];
  const started = Date.now();
  const set = await ensureImages(clients, { onProgress: (e) => events.push(e) });
  expect(Date.now() - started).toBeLessThan(3_000);
  const states = events.filter((e) => e.type === 'image').map((e) => (e as { state: string }).state);
  expect(states).toEqual(new Array(IMAGE_NAMES.length + 1).fill('cached'));
  expect(set.base).toBe(baseTag());
  const baseId = await clients.images.id(set.base);
  for (const image of IMAGE_NAMES) {
    expect(set.tags[image]).toBe(roleTag(image, baseId));
    expect(set.tags[image]).toMatch(new RegExp(`^cyrange/${image}:[0-9a-f]{12}$`));
  }
}, 900_000);

test('a failing build step is reported as an error, not as success', async () => {
  const archive = pack();
  archive.entry({ name: 'Dockerfile' }, `FROM ${baseTag()}\nRUN echo before && exit 7\n`);
  archive.finalize();
  const lines: string[] = [];
  const tag = `cyrange/test-broken:${process.pid}`;
  const error = await clients.images
    .build(Readable.from(archive), { tag, buildargs: {}, labels: {} }, ({ line }) => lines.push(line))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/returned a non-zero code: 7/);
  expect(lines.join('\n')).toContain('before');
  expect(await clients.images.exists(tag)).toBe(false);
}, 120_000);

test('prune removes tags the current inputs no longer produce, and keeps the current ones', async () => {
  const set = await ensureImages(clients, { images: ['web'] });
  const stale = 'cyrange/web:000000000000';
  await clients.engine.api.getImage(set.tags.web).tag({ repo: 'cyrange/web', tag: '000000000000' });
  expect(await clients.images.exists(stale)).toBe(true);
  const result = await pruneImages(clients);
  expect(result.removed).toContain(stale);
  expect(await clients.images.exists(stale)).toBe(false);
  expect(await clients.images.exists(set.tags.web)).toBe(true);
  expect(await clients.images.exists(set.base)).toBe(true);
}, 600_000);
