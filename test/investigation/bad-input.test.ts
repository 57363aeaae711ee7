/**
 * The investigation routes with malformed, oversized and hostile input: always a 4xx in the one
 * error envelope, never a 5xx, and the server keeps answering. Fuzz cases come from fast-check
 * with a fixed seed.
 */
import fc from 'fast-check';
import { type Client, type Harness, startHarness } from '../server/support/harness';

let h: Harness;
let team: Client;
let draft: string;

beforeAll(async () => {
  h = await startHarness({ config: { bodyLimit: 64 * 1024 } });
  team = await h.login('team', 't01');
  draft = (await team.req('POST', '/api/teams/t01/drafts', { title: 'fuzz' })).body.draft.id;
});
afterAll(async () => {
  await h.close();
});

function expect4xx(what: unknown, r: { status: number; body: unknown }): void {
  expect({ what, status: r.status >= 400 && r.status < 500 }).toEqual({ what, status: true });
  expect(r.body).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
}

const WRITES: [string, () => string][] = [
  ['POST', () => '/api/teams/t01/telemetry/search'],
  ['POST', () => '/api/teams/t01/drafts'],
  ['PUT', () => `/api/teams/t01/drafts/${draft}`],
  ['POST', () => '/api/teams/t01/attachments'],
];

const hostile = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record({
    from: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
    to: fc.oneof(fc.integer(), fc.string(), fc.constant(1e300)),
    filters: fc.oneof(fc.dictionary(fc.string(), fc.anything({ maxDepth: 1 })), fc.string()),
    limit: fc.oneof(fc.integer(), fc.string()),
    cursor: fc.oneof(fc.string(), fc.base64String()),
    interval: fc.oneof(fc.integer(), fc.double()),
  }),
  fc.record({
    name: fc.string(),
    contentType: fc.oneof(fc.constantFrom('text/plain', 'image/png', 'application/json'), fc.string()),
    content: fc.oneof(fc.base64String(), fc.string()),
    draft: fc.string(),
  }),
);

describe('fuzzed bodies', () => {
  it('answers every write route with a 4xx, never a 5xx', async () => {
    const samples = fc.sample(hostile, { numRuns: 60, seed: 20261126 });
    for (const body of samples) {
      for (const [method, path] of WRITES) {
        const r = await team.req(method, path(), undefined, { raw: JSON.stringify(body) ?? 'null' });
        if (r.status < 400) continue; // a fuzzed value can be a valid draft or search
        expect4xx({ method, body }, r);
      }
    }
  }, 60_000);

  it('answers hostile query strings and path ids with 4xx', async () => {
    const paths = [
      '/api/teams/t01/telemetry/search?from=1&from=2&to=3',
      '/api/teams/t01/telemetry/search?from=abc&to=def',
      '/api/teams/t01/telemetry/search?from=0&to=1&filter.%24bad=1',
      `/api/teams/t01/telemetry/search?from=0&to=1&text=${'x'.repeat(500)}`,
      '/api/teams/t01/telemetry/search?from=0&to=1&limit=-5',
      '/api/teams/t01/telemetry/search?from=0&to=1&evil[a]=1',
      '/api/teams/t01/hosts?cursor=-1',
      '/api/teams/t01/hosts?limit=99999',
      '/api/teams/t01/hosts?evil=1',
      `/api/teams/t01/hosts/${'a'.repeat(5000)}`,
      '/api/teams/t01/alerts?after=-1',
      '/api/teams/t01/drafts/../../etc',
      '/api/teams/t01/drafts/d-zzzzzzzzzzzz',
      '/api/teams/t01/attachments/a-%00',
      '/api/teams/t01/attachments/a-000000000000',
    ];
    for (const p of paths) expect4xx(p, await team.req('GET', p));
  });

  it('refuses oversized attachments and bodies over the limit', async () => {
    const huge = await team.req('POST', '/api/teams/t01/attachments', {
      name: 'x.txt',
      contentType: 'text/plain',
      content: 'A'.repeat(100_000),
    });
    expect(huge.status).toBe(413);
    const over = await team.req('POST', '/api/teams/t01/attachments', {
      name: 'x.txt',
      contentType: 'text/plain',
      content: Buffer.alloc(41 * 1024, 0x41).toString('base64'),
    });
    expect4xx('over 40 KiB', over);
    const json = await team.req('POST', '/api/teams/t01/attachments', {
      name: 'x.json',
      contentType: 'application/json',
      content: Buffer.from('{not json').toString('base64'),
    });
    expect(json.status).toBe(422);
    const badIfMatch = await team.req(
      'PUT',
      `/api/teams/t01/drafts/${draft}`,
      { title: 'x' },
      { headers: { 'if-match': 'W/"abc"' } },
    );
    expect(badIfMatch.status).toBe(422);
    expect((await team.req('GET', '/api/health')).status).toBe(200);
  });
});
