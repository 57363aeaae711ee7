/**
 * Every REST operation the served OpenAPI document lists, called by every role (logged in for
 * real, CSRF token echoed, so requests reach the handlers) and by nobody, with fast-check generated
 * hostile input: wrong JSON types in every body field, path and query parameter, stray and
 * prototype-pollution keys, NUL/control/unicode, raw numbers JSON.stringify cannot write (1e309),
 * deep nesting, huge strings, repeated and bracketed query parameters, path traversal, wrong
 * content types and oversized bodies. Every answer is a 4xx in the one error envelope whose code
 * matches its status (docs/API.md "Errors"), or a 2xx the document lists; never a 5xx, a redirect
 * or a hang. After it all the server is healthy and its heap has not run away.
 *
 * Reproduce: the seed is printed with every failure; `CYRANGE_FUZZ_SEED=N` replays a run.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { budgetMs, repeats } from '../reliability/support/scale';
import { type Harness, startHarness } from '../server/support/harness';
import { CALLERS, type Caller, logIn, type Sent, send } from './support/callers';
import { hostileRawBody, nastyString, raw, toRawJson } from './support/hostile-values';
import {
  hostileBody,
  hostileHeaders,
  hostilePath,
  hostileQuery,
  type Known,
  type Operation,
  operationsOf,
} from './support/openapi-operations';
import { answerProblem, errorAnswerProblem, preview } from './support/verdict';

const SEED = Number(process.env.CYRANGE_FUZZ_SEED ?? 20261126);
/** Generated cases per operation and caller. */
const CASES = repeats(25, 250);
const BODY_LIMIT = 64 * 1024;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/xml',
];

let h: Harness;
let ops: Operation[];
const callers = new Map<string, Caller>();
const known: Known = {};
let heapBefore = 0;

/** Forces a full collection, so heap figures compare what is live, not what is garbage. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  // Every login (and every re-login after a fuzzed logout) comes from 127.0.0.1: with the default
  // join limit the fuzzed join requests would be answered 429 before validation ran. The limit
  // itself is tested in test/server. A session runner makes the controller's verbs reach it.
  h = await startHarness({ runner: true, config: { loginAttempts: 1_000_000, bodyLimit: BODY_LIMIT } });
  for (const c of CALLERS) callers.set(c.name, await logIn(h, c));
  const doc = await send(h.url, callers.get('anonymous')!, { method: 'GET', path: '/api/openapi.json' });
  ops = operationsOf(doc.body);
  await seedKnownIds();
  gc();
  heapBefore = process.memoryUsage().heapUsed;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

/** Ids that exist, so generated paths sometimes get past "not found" to the handler's own checks. */
async function seedKnownIds(): Promise<void> {
  const team = callers.get('team t01')!;
  const controller = callers.get('controller')!;
  const t01 = h.plan.teams.find((t) => t.id === 't01')!;
  const draft = await send(h.url, team, {
    method: 'POST',
    path: '/api/teams/t01/drafts',
    body: JSON.stringify({ title: 'fuzz' }),
    contentType: 'application/json',
  });
  const attachment = await send(h.url, team, {
    method: 'POST',
    path: '/api/teams/t01/attachments',
    body: JSON.stringify({
      name: 'notes.txt',
      contentType: 'text/plain',
      content: Buffer.from('hi').toString('base64'),
    }),
    contentType: 'application/json',
  });
  const link = await send(h.url, controller, {
    method: 'POST',
    path: '/api/links',
    body: JSON.stringify({ role: 'spectator', label: 'fuzz' }),
    contentType: 'application/json',
  });
  const ids = (a: { body: unknown }, pick: (b: never) => string | undefined) => {
    const v = pick(a.body as never);
    return v === undefined ? [] : [v];
  };
  Object.assign(known, {
    team: ['t01', 't02'],
    host: t01.hosts.map((x) => x.name).slice(0, 5),
    hosts: t01.hosts.map((x) => x.name).slice(0, 5),
    inject: h.plan.injects.map((i) => i.id),
    expectation: h.plan.injects.flatMap((i) => i.expectations.map((e) => e.id)),
    draft: ids(draft, (b: { draft?: { id: string } }) => b.draft?.id),
    attachment: ids(attachment, (b: { attachment?: { id: string } }) => b.attachment?.id),
    id: [...ids(link, (b: { id?: string }) => b.id), '1', '0'],
    index: ['0', '1'],
    reason: ['fuzzing'],
    role: ['team', 'spectator'],
  });
  expect([draft.status, attachment.status, link.status]).toEqual([201, 201, 201]);
}

/** One generated request for `op`. */
function requestFor(op: Operation): fc.Arbitrary<Sent> {
  const write = WRITES.has(op.method);
  const body: fc.Arbitrary<string | undefined> =
    op.body || write
      ? fc.oneof(
          { weight: 6, arbitrary: hostileBody(op.body, known).map(toRawJson) },
          { weight: 2, arbitrary: hostileRawBody },
          { weight: 1, arbitrary: fc.constant(undefined) },
        )
      : fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileRawBody });
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
  );
  return fc
    .record({
      path: hostilePath(op, known),
      query: hostileQuery(op, known),
      body,
      contentType,
      headers: hostileHeaders(op),
    })
    .map((r) => ({
      method: op.method,
      path: r.path + r.query,
      ...(r.body !== undefined ? { body: r.body, contentType: r.contentType } : {}),
      headers: r.headers,
    }));
}

interface Failure {
  seed: number;
  caller: string;
  request: string;
  problem: string;
}

/** Logging out ends the caller's login: log it in again so the rest of the run still reaches handlers. */
async function afterAnswer(op: Operation, caller: Caller, status: number): Promise<void> {
  if (caller.role && op.path.endsWith('/auth/logout') && status === 204) {
    callers.set(caller.name, await logIn(h, caller));
  }
}

const stats = { requests: 0, byStatus: new Map<number, number>(), slowestMs: 0, slowest: '' };

function record(s: Sent, status: number, ms: number): void {
  stats.requests++;
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    stats.slowest = `${s.method} ${preview(s.path, 80)}`;
  }
}

it(
  'answers every operation, as every role, with a documented 4xx envelope or a valid 2xx — never a 5xx',
  async () => {
    expect(ops.length).toBeGreaterThanOrEqual(40);
    const failures: Failure[] = [];
    let opIndex = 0;
    for (const op of ops) {
      opIndex++;
      for (const [callerIndex, base] of CALLERS.entries()) {
        const seed = SEED + opIndex * 100 + callerIndex;
        for (const s of fc.sample(requestFor(op), { numRuns: CASES, seed })) {
          const caller = callers.get(base.name)!;
          let problem: string | undefined;
          try {
            const a = await send(h.url, caller, s);
            record(s, a.status, a.ms);
            problem = answerProblem(a, op.statuses);
            await afterAnswer(op, caller, a.status);
          } catch (e) {
            problem = `no answer: ${(e as Error).message}`;
          }
          if (problem) {
            failures.push({
              seed,
              caller: base.name,
              request: `${s.method} ${preview(s.path, 160)} ${s.contentType ?? ''} ${preview(s.body ?? '', 160)}`,
              problem,
            });
          }
        }
      }
    }
    const summary = [...stats.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    process.stderr.write(
      `rest fuzz: ${ops.length} operations × ${CALLERS.length} callers × ${CASES} = ${stats.requests} requests; ${summary.join(' ')}; slowest ${stats.slowestMs.toFixed(0)} ms (${stats.slowest})\n`,
    );
    expect(failures).toEqual([]);
  },
  budgetMs(repeats(1, 10), 60_000),
);

describe('limits in force on every write operation', () => {
  /** A caller allowed past CSRF for the operation (the guard runs after the body is read). */
  const writer = () => callers.get('controller')!;
  const writeOps = () => ops.filter((op) => WRITES.has(op.method));
  const concrete = (op: Operation) => op.path.replace(/\{(\w+)\}/g, (_m, n: string) => known[n]?.[0] ?? 'x');

  it('refuses a body over the limit with 413 payload_too_large', async () => {
    const over = JSON.stringify({ reason: 'A'.repeat(BODY_LIMIT + 1) });
    const wrong: string[] = [];
    for (const op of writeOps()) {
      const a = await send(h.url, writer(), {
        method: op.method,
        path: concrete(op),
        body: over,
        contentType: 'application/json',
      });
      if (a.status !== 413 || errorAnswerProblem(a.status, a.body))
        wrong.push(`${op.method} ${op.path} → ${a.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a body that is not application/json with 415', async () => {
    const wrong: string[] = [];
    for (const op of writeOps()) {
      for (const contentType of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        const a = await send(h.url, writer(), {
          method: op.method,
          path: concrete(op),
          body: 'reason=x',
          contentType,
        });
        if (a.status !== 415 || errorAnswerProblem(a.status, a.body))
          wrong.push(`${op.method} ${op.path} ${contentType} → ${a.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a logged-in write without the CSRF token, or from a foreign origin, with 403 csrf_failed', async () => {
    const wrong: string[] = [];
    for (const op of writeOps()) {
      const { csrf: _drop, ...noToken } = writer();
      for (const [caller, headers] of [
        [noToken, {}],
        [writer(), { origin: 'http://evil.example' }],
      ] as const) {
        const a = await send(h.url, caller, {
          method: op.method,
          path: concrete(op),
          body: '{}',
          contentType: 'application/json',
          headers,
        });
        if (a.status !== 403 || (a.body as { error?: { code?: string } }).error?.code !== 'csrf_failed')
          wrong.push(`${op.method} ${op.path} ${JSON.stringify(headers)} → ${a.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

it('refuses search ranges, pages and histograms over their limits with 422 naming the field', async () => {
  const team = callers.get('team t01')!;
  const search = (body: unknown) =>
    send(h.url, team, {
      method: 'POST',
      path: '/api/teams/t01/telemetry/search',
      body: toRawJson(body),
      contentType: 'application/json',
    });
  const day = 24 * 3600_000;
  const from = Date.UTC(2026, 0, 5, 10);
  const cases: [unknown, string][] = [
    [{ from, to: from + 2 * day }, 'body.to'],
    [{ from: 0, to: 8.64e15 }, 'body.to'],
    [{ from, to: raw('1e309') }, 'body.to'],
    [{ from, to: from + 1, limit: 501 }, 'body.limit'],
    [{ from, to: from + 1, limit: 1e9 }, 'body.limit'],
    [{ from, to: from + day, interval: 1 }, 'body.interval'],
    [{ from, to: from + 1, text: 'x'.repeat(201) }, 'body.text'],
    [{ from, to: from + 1, cursor: 'not-a-cursor' }, 'body.cursor'],
  ];
  const wrong: string[] = [];
  for (const [body, field] of cases) {
    const a = await search(body);
    const got = (a.body as { error?: { field?: string } }).error?.field;
    if (a.status !== 422 || got !== field) wrong.push(`${preview(body)} → ${a.status} ${got}`);
  }
  const get = await send(h.url, team, {
    method: 'GET',
    path: '/api/teams/t01/telemetry/search?from=0&to=8640000000000000',
  });
  if (get.status !== 422) wrong.push(`GET from=0&to=8.64e15 → ${get.status}`);
  expect(wrong).toEqual([]);
});

describe('uploads', () => {
  const upload = (team: string, body: unknown) =>
    send(h.url, callers.get(`team ${team}`)!, {
      method: 'POST',
      path: `/api/teams/${team}/attachments`,
      body: toRawJson(body),
      contentType: 'application/json',
    });
  const text = (bytes: number) => Buffer.alloc(bytes, 0x41).toString('base64');

  it('refuses hostile file names with 422 body.name, and serves any accepted name only as a safe download', async () => {
    const names = fc.sample(
      fc.oneof(
        nastyString,
        fc.constantFrom(
          '../../../../tmp/x',
          'a/../../b',
          'C:\\boot.ini',
          '.htaccess',
          '..',
          'x'.repeat(121),
          'report.txt\u0000.exe',
          'name\r\nContent-Type: text/html',
          'a"; filename="evil.html',
          'résumé (1).txt',
          'ok name (2).txt',
        ),
      ),
      { numRuns: repeats(60, 600), seed: SEED },
    );
    const wrong: string[] = [];
    for (const name of names) {
      const a = await upload('t01', { name, contentType: 'text/plain', content: text(3) });
      if (a.status === 201) {
        const id = (a.body as { attachment: { id: string; name: string } }).attachment.id;
        const file = await send(h.url, callers.get('team t01')!, {
          method: 'GET',
          path: `/api/teams/t01/attachments/${id}`,
        });
        const disposition = String(file.headers['content-disposition']);
        if (
          !/^attachment; filename="[\w.-]+"$/.test(disposition) ||
          file.contentType !== 'application/octet-stream'
        )
          wrong.push(`${JSON.stringify(name)} served as ${disposition} ${file.contentType}`);
      } else if (a.status === 409) {
        // The quota is checked after the name: the name passed, the team's 50 files are full.
      } else if (a.status !== 422 || (a.body as { error: { field?: string } }).error.field !== 'body.name') {
        wrong.push(`${JSON.stringify(name)} → ${a.status} ${preview(a.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('enforces 40 KiB per file (413 body.content), the 64 KiB body (413 body) and 50 files per team (409)', async () => {
    const exact = await upload('t02', {
      name: 'max.txt',
      contentType: 'text/plain',
      content: text(40 * 1024),
    });
    expect(exact.status).toBe(201);
    const over = await upload('t02', {
      name: 'over.txt',
      contentType: 'text/plain',
      content: text(40 * 1024 + 1),
    });
    expect([over.status, (over.body as { error: { field?: string } }).error.field]).toEqual([
      413,
      'body.content',
    ]);
    const body = await upload('t02', {
      name: 'big.txt',
      contentType: 'text/plain',
      content: text(50 * 1024),
    });
    expect([body.status, (body.body as { error: { field?: string } }).error.field]).toEqual([413, 'body']);
    let status = 201;
    for (let i = 0; i < 60 && status === 201; i++) {
      status = (await upload('t02', { name: `n${i}.txt`, contentType: 'text/plain', content: text(10) }))
        .status;
    }
    expect(status).toBe(409);
    const list = await send(h.url, callers.get('team t02')!, {
      method: 'GET',
      path: '/api/teams/t02/attachments',
    });
    expect((list.body as { attachments: unknown[] }).attachments).toHaveLength(50);
  });
});

it('stays healthy, answers every caller, and its heap has not run away', async () => {
  expect((await send(h.url, callers.get('anonymous')!, { method: 'GET', path: '/api/health' })).status).toBe(
    200,
  );
  for (const c of callers.values()) {
    const me = await send(h.url, c, { method: 'GET', path: '/api/me' });
    expect({ caller: c.name, status: me.status }).toEqual({ caller: c.name, status: c.role ? 200 : 401 });
  }
  gc();
  const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  process.stderr.write(`rest fuzz: heap grew ${grownMb.toFixed(1)} MiB over the run\n`);
  // The server and the client share this process; the event log and drafts legitimately grow a little.
  expect(grownMb).toBeLessThan(64);
});
