/**
 * The authorisation matrix extended to every page and export, for every role of docs/API.md
 * "Roles" (controller, evaluator — the instructors —, a member of team A and of team B, spectator,
 * nobody): console pages are the same public shell for everyone (data only comes through the
 * API); the review exports, the team review and every attachment download are allowed exactly as
 * documented; and team A never gets team B's data, not even by guessing ids of drafts,
 * attachments, messages or terminals, on any GET route the OpenAPI document lists (derived at test
 * time). The terminal backend here is an in-process echo shell: the refusals under test happen in
 * the server's terminal manager before any shell is asked for (test/terminal covers real shells).
 */
import { openApiDocument } from '../../src/server/openapi';
import type { ShellStream, TerminalBackend } from '../../src/server/terminal/terminal-backend';
import { CONSOLE_PAGES } from '../../src/server/web/web-console';
import type { Answer, Client, ClientSocket } from '../server/support/harness';
import { request } from '../server/support/harness';
import { operations, type SecurityServer, startSecurityServer } from './support/security-server';

jest.setTimeout(60_000);

type Caller = 'nobody' | 'controller' | 'evaluator' | 'teamA' | 'teamB' | 'spectator';
const CALLERS: Caller[] = ['nobody', 'controller', 'evaluator', 'teamA', 'teamB', 'spectator'];
const SECRET_B = 'heron-only-9c41';

/** Every shell the backend was asked for, by team and host. */
const opened: string[] = [];
/** What each team's shells were sent, by team. */
const typed = new Map<string, string>();

function echoShell(team: string): ShellStream {
  let data: ((chunk: Buffer) => void) | undefined;
  let exit: ((code: number | undefined) => void) | undefined;
  return {
    onData: (l) => {
      data = l;
    },
    onExit: (l) => {
      exit = l;
    },
    write: (d) => {
      typed.set(team, (typed.get(team) ?? '') + d.toString());
      data?.(Buffer.from(d.toString()));
    },
    resize: async () => {},
    close: () => exit?.(0),
  };
}

const terminals: TerminalBackend = {
  liveHosts: () => ['pc-victim', 'fw'],
  knownHost: (_team, host) => ['pc-victim', 'fw', 'dc'].includes(host),
  open: async (team, host) => {
    opened.push(`${team}/${host}`);
    return echoShell(team);
  },
};

let s: SecurityServer;
const clients = new Map<Exclude<Caller, 'nobody'>, Client>();
/** Ids of team B's objects, which team A will try to reach. */
const b = { draft: '', attachment: '', message: 0, report: '', terminal: '' };
const a = { draft: '', attachment: '', message: 0 };

function message(team: string, subject: string) {
  return {
    type: 'message.delivered' as const,
    team,
    payload: {
      inject: 'soc-call',
      from: 'soc',
      sender: 'SOC',
      subject,
      body: `body ${subject}`,
      attachments: [{ name: 'mail.eml', contentType: 'message/rfc822', content: `Subject: ${subject}` }],
    },
  };
}

beforeAll(async () => {
  s = await startSecurityServer({ web: true, terminals });
  clients.set('controller', await s.login('controller'));
  clients.set('evaluator', await s.login('evaluator'));
  clients.set('spectator', await s.login('spectator'));
  clients.set('teamA', await s.login('team', 't01'));
  clients.set('teamB', await s.login('team', 't02'));
  const [mA, mB] = s.append([message('t01', 'for A'), message('t02', `for B ${SECRET_B}`)]);
  a.message = mA!.seq;
  b.message = mB!.seq;
  a.draft = s.draftOf('t01', 'A draft');
  b.draft = s.draftOf('t02', `B draft ${SECRET_B}`);
  a.attachment = s.attachmentOf('t01', 'a.txt', 'A notes');
  b.attachment = s.attachmentOf('t02', `b-${SECRET_B}.txt`, `B notes ${SECRET_B}`);
  const teamB = clients.get('teamB')!;
  const report = await teamB.req('POST', '/api/teams/t02/reports', {
    kind: 'incident',
    to: 'management',
    title: `B report ${SECRET_B}`,
    hosts: ['pc-victim'],
    indicators: [],
    techniques: [],
    timeline: [],
    narrative: `B narrative ${SECRET_B}`,
  });
  expect(report.status).toBe(201);
  const sock = await teamB.socket();
  const t = await sock.timeout(3000).emitWithAck('terminal:open', { host: 'pc-victim', cols: 80, rows: 24 });
  expect(t).toMatchObject({ ok: true });
  b.terminal = (t as { data: { id: string } }).data.id;
}, 60_000);

afterAll(async () => {
  await s?.close();
});

function call(caller: Caller, method: string, path: string, body?: unknown): Promise<Answer> {
  if (caller === 'nobody') return request(s.url, method, path, body);
  return clients.get(caller)!.req(method, path, body);
}

describe('console pages', () => {
  test('every page is the same public shell for every role and for nobody', async () => {
    const variants = new Map<string, Set<string>>();
    let answers = 0;
    for (const page of CONSOLE_PAGES) {
      variants.set(page, new Set());
      for (const caller of CALLERS) {
        const r = await call(caller, 'GET', page);
        expect({ page, caller, status: r.status }).toEqual({ page, caller, status: 200 });
        // The boot data carries the server's clock reading: the one thing that differs per request.
        variants.get(page)!.add(String(r.body).replace(/"serverNow":\d+/, '"serverNow":0'));
        answers += 1;
      }
    }
    expect(answers).toBe(CONSOLE_PAGES.length * CALLERS.length);
    // One shell per page, whoever asks: a page never carries data the API would refuse its caller.
    for (const [page, bodies] of variants) {
      expect({ page, variants: bodies.size }).toEqual({ page, variants: 1 });
      const shell = [...bodies][0]!;
      expect(shell).toContain('id="cyrange-boot"');
      expect(shell).not.toContain(SECRET_B);
      expect(shell).not.toMatch(/"team"|csrf|token/i);
    }
  });
});

describe('exports and downloads', () => {
  const staffOnly = { nobody: 401, controller: 200, evaluator: 200, teamA: 403, teamB: 403, spectator: 403 };
  const formats = ['json', 'csv', 'html', 'xapi'];

  test.each(formats)('GET /api/review/export/%s: the white cell only', async (format) => {
    const got: Record<string, number> = {};
    for (const caller of CALLERS)
      got[caller] = (await call(caller, 'GET', `/api/review/export/${format}`)).status;
    expect(got).toEqual(staffOnly);
  });

  test('the export formats tested are the ones the document offers', () => {
    const doc = openApiDocument() as {
      paths: Record<string, { get: { parameters: { name: string; schema?: { enum?: string[] } }[] } }>;
    };
    const param = doc.paths['/api/review/export/{format}']!.get.parameters.find((p) => p.name === 'format');
    expect(param?.schema?.enum?.sort()).toEqual([...formats].sort());
  });

  test.each([
    ['team review (json)', (t: string) => `/api/teams/${t}/review`],
    ['team review (html)', (t: string) => `/api/teams/${t}/review?format=html`],
    [
      'inbox attachment',
      (t: string) => `/api/teams/${t}/inbox/${t === 't01' ? a.message : b.message}/attachments/0`,
    ],
    [
      'draft attachment',
      (t: string) => `/api/teams/${t}/attachments/${t === 't01' ? a.attachment : b.attachment}`,
    ],
  ])('%s: own team and the white cell; the other team 404, spectators 403, nobody 401', async (_n, path) => {
    const got: Record<string, [number, number]> = {};
    for (const caller of CALLERS)
      got[caller] = [
        (await call(caller, 'GET', path('t01'))).status,
        (await call(caller, 'GET', path('t02'))).status,
      ];
    expect(got).toEqual({
      nobody: [401, 401],
      controller: [200, 200],
      evaluator: [200, 200],
      teamA: [200, 404],
      teamB: [404, 200],
      spectator: [403, 403],
    });
  });

  test('downloads are attachments, never pages of ours', async () => {
    for (const path of [
      `/api/teams/t01/inbox/${a.message}/attachments/0`,
      `/api/teams/t01/attachments/${a.attachment}`,
      '/api/review/export/html',
    ]) {
      const r = await clients.get('controller')!.req('GET', path);
      expect({ path, disposition: r.headers.get('content-disposition') }).toEqual({
        path,
        disposition: expect.stringMatching(/^attachment; filename="[\w.-]+"$/),
      });
    }
  });
});

describe("team A never gets team B's data", () => {
  const teamA = () => clients.get('teamA')!;

  test("guessing B's ids under A's own team: drafts, attachments, messages", async () => {
    const tries: [string, string, unknown?][] = [
      ['GET', `/api/teams/t01/drafts/${b.draft}`],
      ['PUT', `/api/teams/t01/drafts/${b.draft}`, { title: 'hijacked' }],
      ['DELETE', `/api/teams/t01/drafts/${b.draft}`],
      ['POST', `/api/teams/t01/drafts/${b.draft}/submit`, {}],
      ['GET', `/api/teams/t01/attachments/${b.attachment}`],
      ['GET', `/api/teams/t01/inbox/${b.message}/attachments/0`],
      [
        'POST',
        '/api/teams/t01/attachments',
        { name: 'x.txt', contentType: 'text/plain', content: 'eA==', draft: b.draft },
      ],
    ];
    const got: string[] = [];
    for (const [method, path, body] of tries) {
      const r = await teamA().req(method, path, body);
      got.push(`${method} ${path} → ${r.status}`);
      expect(JSON.stringify(r.body ?? '')).not.toContain(SECRET_B);
    }
    // Every one refused as if it did not exist (the attachment upload: no such draft in A's team).
    expect(got).toEqual(
      tries.map(([m, p]) => `${m} ${p} → ${m === 'POST' && p.endsWith('/attachments') ? 422 : 404}`),
    );
    // B's draft is untouched.
    const mine = await clients.get('teamB')!.req('GET', `/api/teams/t02/drafts/${b.draft}`);
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(`B draft ${SECRET_B}`);
  });

  test("naming B's team in the path: 404 on every team route of the document", async () => {
    const teamRoutes = operations(openApiDocument()).filter(
      (op) => op.pattern.includes('{team}') && op.security === undefined,
    );
    expect(teamRoutes.length).toBeGreaterThanOrEqual(20);
    const got: Record<string, number> = {};
    for (const op of teamRoutes) {
      const path = fill(op.pattern, 't02');
      const r = await teamA().req(op.method, path, op.method === 'GET' ? undefined : {});
      got[`${op.method} ${op.pattern}`] = r.status;
      expect(JSON.stringify(r.body ?? '')).not.toContain(SECRET_B);
    }
    // A route a team member may use answers 404 for another team (it is not confirmed to exist);
    // a route of the white cell alone (its document says which roles) answers 403 to any team member.
    expect(got).toEqual(
      Object.fromEntries(
        teamRoutes.map((op) => [
          `${op.method} ${op.pattern}`,
          /\bteam\b/.test(op.description ?? '') ? 404 : 403,
        ]),
      ),
    );
  });

  test("nothing of B in anything A can read (every GET route of the document, A's own team)", async () => {
    const reads = operations(openApiDocument()).filter(
      (op) => op.method === 'GET' && op.security === undefined,
    );
    let read = 0;
    for (const op of reads) {
      const r = await teamA().req('GET', fill(op.pattern, 't01'));
      if (r.status === 200) read += 1;
      expect({ route: op.pattern, leak: JSON.stringify(r.body ?? '').includes(SECRET_B) }).toEqual({
        route: op.pattern,
        leak: false,
      });
    }
    expect(read).toBeGreaterThanOrEqual(10);
    // The white cell does see B's secret (so the sweep above could have found it).
    const staff = await clients.get('evaluator')!.req('GET', '/api/teams/t02/reports');
    expect(JSON.stringify(staff.body)).toContain(SECRET_B);
  });

  test("terminals: A cannot list, attach to, type into, resize or close B's terminal", async () => {
    const sock: ClientSocket = await teamA().socket();
    try {
      const ask = (event: string, payload: unknown) =>
        (
          sock.timeout(3000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }
        ).emitWithAck(event, payload);
      expect(await ask('terminal:list', {})).toEqual({ ok: true, data: [] });
      for (const [event, payload] of [
        ['terminal:attach', { id: b.terminal }],
        ['terminal:resize', { id: b.terminal, cols: 100, rows: 30 }],
        ['terminal:close', { id: b.terminal }],
      ] as const) {
        expect({ event, answer: await ask(event, payload) }).toEqual({
          event,
          answer: { ok: false, error: expect.objectContaining({ code: 'not_found' }) },
        });
      }
      sock.emit('terminal:input', { id: b.terminal, data: 'echo pwned\n' });
      // A's own terminal opens on A's copy of the host, whatever A sends.
      const own = await ask('terminal:open', { host: 'pc-victim', cols: 80, rows: 24 });
      expect(own).toMatchObject({ ok: true, data: { team: 't01', host: 'pc-victim' } });
      await new Promise((r) => setTimeout(r, 300));
      expect(typed.get('t02') ?? '').not.toContain('pwned');
      expect(opened).toEqual(['t02/pc-victim', 't01/pc-victim']);
      // B's terminal is still open for B.
      const bList = await clients.get('teamB')!.socket();
      const list = await bList.timeout(3000).emitWithAck('terminal:list', {});
      expect(list).toMatchObject({ ok: true, data: [{ id: b.terminal, open: true }] });
    } finally {
      sock.disconnect();
    }
  });

  test('the white cell and spectators open no terminals at all', async () => {
    for (const caller of ['controller', 'evaluator', 'spectator'] as const) {
      const sock = await clients.get(caller)!.socket();
      const r = await sock
        .timeout(3000)
        .emitWithAck('terminal:open', { host: 'pc-victim', cols: 80, rows: 24 });
      sock.disconnect();
      expect({ caller, r }).toEqual({
        caller,
        r: { ok: false, error: expect.objectContaining({ code: 'forbidden' }) },
      });
    }
    expect(opened).toHaveLength(2);
  });
});

function fill(pattern: string, team: string): string {
  const mine = team === 't01' ? a : b;
  return pattern.replace(/\{(\w+)\}/g, (_m, p: string) => {
    if (p === 'team') return team;
    if (p === 'draft') return mine.draft;
    if (p === 'attachment') return mine.attachment;
    if (p === 'id') return String(mine.message);
    if (p === 'index') return '0';
    if (p === 'host') return 'pc-victim';
    if (p === 'format') return 'json';
    return 'x';
  });
}
