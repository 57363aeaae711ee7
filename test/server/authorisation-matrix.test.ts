/**
 * The authorisation matrix: every route × every role × own/other team, with the exact status
 * each combination must get. Team t01's member is the "team" caller; "own" targets t01, "other"
 * targets t02. A sweep then checks that nothing of t02 ever appears in what t01 can read, and
 * the socket events are checked the same way.
 */
import type { EngineEvent } from '../../src/engine/events/event-types';
import { actionEvent } from '../../src/response/action-events';
import { DraftStore } from '../../src/server/investigation/draft-store';
import { openApiDocument } from '../../src/server/openapi';
import {
  type Answer,
  type Client,
  connect,
  goodReport,
  type Harness,
  nextEvent,
  request,
  SESSION,
  startHarness,
} from './support/harness';

type Caller = 'anonymous' | 'controller' | 'evaluator' | 'team' | 'spectator';
type Target = 'own' | 'other';

let h: Harness;
const clients = new Map<Exclude<Caller, 'anonymous'>, Client>();
const messageId = new Map<string, number>();
const SECRET_OF_T02 = 'heron-secret-7f3a';

function message(team: string, subject: string): EngineEvent {
  return {
    type: 'message.delivered',
    team,
    payload: {
      inject: 'soc-call',
      from: 'soc',
      sender: 'SOC duty analyst',
      subject,
      body: `body for ${team}`,
      attachments: [{ name: 'mail.eml', contentType: 'message/rfc822', content: `Subject: ${subject}` }],
    },
  };
}

beforeAll(async () => {
  const plan = (await import('./support/harness')).quickstartPlanWithDebrief();
  h = await startHarness({ plan, runner: true });
  for (const role of ['controller', 'evaluator', 'spectator'] as const)
    clients.set(role, await h.login(role));
  clients.set('team', await h.login('team', 't01'));
  const [m1, m2] = h.append([
    message('t01', 'for the pandas'),
    message('t02', `for the herons ${SECRET_OF_T02}`),
  ]);
  messageId.set('t01', m1!.seq);
  messageId.set('t02', m2!.seq);
  const t02 = await h.login('team', 't02');
  const r = await t02.req('POST', '/api/teams/t02/reports', goodReport({ title: `report ${SECRET_OF_T02}` }));
  expect(r.status).toBe(201);
});

afterAll(async () => {
  await h.close();
});

function call(caller: Caller, method: string, path: string, body?: unknown): Promise<Answer> {
  if (caller === 'anonymous') return request(h.url, method, path, body);
  return clients.get(caller)!.req(method, path, body);
}

interface Route {
  method: string;
  pattern: string;
  path: (team: string) => string;
  body?: () => unknown;
  teamScoped: boolean;
  /** Status per caller (for team-scoped routes, the team caller's own-team status). */
  expect: Record<Caller, number>;
  /** For team-scoped routes: what the team caller gets for the other team. */
  otherTeam?: number;
}

/** A fresh, undoable action of `team` (a proxy block), as the action routes record one. */
function undoableAction(team: string): number {
  const [e] = h.append([
    actionEvent(
      team,
      team,
      { action: 'proxy.block', domain: 'ads.example' },
      {
        ok: true,
        changed: 'the proxy denies ads.example',
        fidelity: 'simulated',
      },
    ),
  ]);
  return e!.seq;
}

const STAFF_READ = { anonymous: 401, controller: 200, evaluator: 200, team: 200, spectator: 403 };
/** The take-home review: the quickstart shows teams their breakdown, so the own team gets it. */
const REVIEW_TEAM = STAFF_READ;

const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: '/api/me',
    path: () => '/api/me',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 200, spectator: 200 },
  },
  {
    method: 'GET',
    pattern: '/api/scoreboard',
    path: () => '/api/scoreboard',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 200, spectator: 200 },
  },
  {
    method: 'GET',
    pattern: '/api/teams',
    path: () => '/api/teams',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 200, spectator: 200 },
  },
  {
    method: 'GET',
    pattern: '/api/links',
    path: () => '/api/links',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'POST',
    pattern: '/api/links',
    path: () => '/api/links',
    body: () => ({ role: 'spectator' }),
    teamScoped: false,
    expect: { anonymous: 401, controller: 201, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'DELETE',
    pattern: '/api/links/{id}',
    path: () => `/api/links/${h.server.createJoinLink({ role: 'spectator' }).id}`,
    teamScoped: false,
    expect: { anonymous: 401, controller: 204, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/inbox',
    path: (t) => `/api/teams/${t}/inbox`,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/inbox/{id}/attachments/{index}',
    path: (t) => `/api/teams/${t}/inbox/${messageId.get(t)}/attachments/0`,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/events',
    path: (t) => `/api/teams/${t}/events`,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/reports',
    path: (t) => `/api/teams/${t}/reports`,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/score',
    path: (t) => `/api/teams/${t}/score`,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  },
  {
    method: 'POST',
    pattern: '/api/teams/{team}/reports',
    path: (t) => `/api/teams/${t}/reports`,
    body: () => goodReport(),
    teamScoped: true,
    expect: { anonymous: 401, controller: 403, evaluator: 403, team: 201, spectator: 403 },
    otherTeam: 404,
  },
  {
    method: 'POST',
    pattern: '/api/teams/{team}/grades',
    path: (t) => `/api/teams/${t}/grades`,
    body: () => ({ expectation: 'debrief', level: 'excellent', reason: 'clear timeline' }),
    teamScoped: true,
    expect: { anonymous: 401, controller: 201, evaluator: 201, team: 403, spectator: 403 },
    otherTeam: 403,
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/actions',
    path: (t) => `/api/teams/${t}/actions`,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  },
  {
    method: 'POST',
    pattern: '/api/teams/{team}/actions',
    path: (t) => `/api/teams/${t}/actions`,
    body: () => ({ action: 'evidence.collect', host: 'pc-victim', kind: 'processes' }),
    teamScoped: true,
    expect: { anonymous: 401, controller: 403, evaluator: 403, team: 201, spectator: 403 },
    otherTeam: 404,
  },
  {
    method: 'POST',
    pattern: '/api/teams/{team}/actions/{id}/undo',
    path: (t) => `/api/teams/${t}/actions/${undoableAction(t)}/undo`,
    body: () => ({ reason: 'blocked the wrong domain' }),
    teamScoped: true,
    expect: { anonymous: 401, controller: 200, evaluator: 403, team: 403, spectator: 403 },
    otherTeam: 403,
  },
  {
    method: 'POST',
    pattern: '/api/exercise/clock',
    path: () => '/api/exercise/clock',
    body: () => ({ action: 'speed', speed: 1 }),
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'POST',
    pattern: '/api/exercise/injects/{inject}/{verb}',
    path: () => '/api/exercise/injects/report-due/skip',
    body: () => ({ team: 't01', reason: 'level B' }),
    teamScoped: false,
    expect: { anonymous: 401, controller: 202, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/review',
    path: () => '/api/review?at=60',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 403, spectator: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/review/export/{format}',
    path: () => '/api/review/export/html',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 403, spectator: 403 },
  },
  {
    method: 'POST',
    pattern: '/api/review/summary',
    path: () => '/api/review/summary',
    body: () => ({ notes: 'good escalation' }),
    teamScoped: false,
    expect: { anonymous: 401, controller: 201, evaluator: 201, team: 403, spectator: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/teams/{team}/review',
    path: (t) => `/api/teams/${t}/review`,
    teamScoped: true,
    expect: REVIEW_TEAM,
    otherTeam: 404,
  },
  {
    method: 'POST',
    pattern: '/api/scoreboard/freeze',
    path: () => '/api/scoreboard/freeze',
    body: () => ({ frozen: false, reason: 'live board' }),
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    // The harness runs simulated: the controller passes the guard and learns there is no live range (409).
    method: 'POST',
    pattern: '/api/range/teardown',
    path: () => '/api/range/teardown',
    body: () => ({ confirm: 'quickstart' }),
    teamScoped: false,
    expect: { anonymous: 401, controller: 409, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/range/health',
    path: () => '/api/range/health',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 403, spectator: 403 },
  },
  {
    // Simulated harness: the controller passes the guard and learns there is no live range (409).
    method: 'POST',
    pattern: '/api/range/hosts/{team}/{host}/restore',
    path: () => '/api/range/hosts/t01/proxy/restore',
    body: () => ({}),
    teamScoped: false,
    expect: { anonymous: 401, controller: 409, evaluator: 403, team: 403, spectator: 403 },
  },
  {
    method: 'GET',
    pattern: '/api/exercise/msel',
    path: () => '/api/exercise/msel',
    teamScoped: false,
    expect: { anonymous: 401, controller: 200, evaluator: 200, team: 403, spectator: 403 },
  },
  {
    method: 'POST',
    pattern: '/api/teams/{team}/overrides',
    path: (t) => `/api/teams/${t}/overrides`,
    body: () => ({ expectation: 'debrief', points: 30, reason: 'range fault' }),
    teamScoped: true,
    expect: { anonymous: 401, controller: 201, evaluator: 403, team: 403, spectator: 403 },
    otherTeam: 403,
  },
  {
    method: 'POST',
    pattern: '/api/teams/{team}/hints',
    path: (t) => `/api/teams/${t}/hints`,
    body: () => ({ hint: 'Look at the proxy log around 10:03' }),
    teamScoped: true,
    expect: { anonymous: 401, controller: 201, evaluator: 403, team: 403, spectator: 403 },
    otherTeam: 403,
  },
  // The team's investigation: telemetry search, hosts, alerts, drafts and attachments.
  ...investigationRoutes(),
];

/** A draft (complete, so it can be submitted) or an attachment of `team`, made directly in the store. */
function draftOf(team: string): string {
  return new DraftStore(h.store.db, SESSION).create(team, goodReport() as never, 'matrix', Date.now()).id;
}
function attachmentOf(team: string): string {
  return new DraftStore(h.store.db, SESSION).addAttachment(
    team,
    { name: 'notes.txt', contentType: 'text/plain', content: Buffer.from('notes') },
    'matrix',
    Date.now(),
  ).id;
}

function investigationRoutes(): Route[] {
  const TEAM_WRITE = { anonymous: 401, controller: 403, evaluator: 403, spectator: 403 };
  const range = { from: Date.UTC(2026, 0, 5, 9), to: Date.UTC(2026, 0, 5, 9, 5), limit: 5 };
  const read = (pattern: string, path: (t: string) => string): Route => ({
    method: 'GET',
    pattern,
    path,
    teamScoped: true,
    expect: STAFF_READ,
    otherTeam: 404,
  });
  const write = (
    method: string,
    pattern: string,
    path: (t: string) => string,
    status: number,
    body?: () => unknown,
  ): Route => ({
    method,
    pattern,
    path,
    ...(body ? { body } : {}),
    teamScoped: true,
    expect: { ...TEAM_WRITE, team: status },
    otherTeam: 404,
  });
  return [
    read(
      '/api/teams/{team}/telemetry/search',
      (t) => `/api/teams/${t}/telemetry/search?from=${range.from}&to=${range.to}&limit=5`,
    ),
    {
      ...read('/api/teams/{team}/telemetry/search', (t) => `/api/teams/${t}/telemetry/search`),
      method: 'POST',
      body: () => range,
    },
    read('/api/teams/{team}/hosts', (t) => `/api/teams/${t}/hosts?limit=5`),
    read('/api/teams/{team}/hosts/{host}', (t) => `/api/teams/${t}/hosts/dc`),
    read('/api/teams/{team}/alerts', (t) => `/api/teams/${t}/alerts`),
    read('/api/teams/{team}/drafts', (t) => `/api/teams/${t}/drafts`),
    read('/api/teams/{team}/drafts/{draft}', (t) => `/api/teams/${t}/drafts/${draftOf(t)}`),
    read('/api/teams/{team}/attachments', (t) => `/api/teams/${t}/attachments`),
    read(
      '/api/teams/{team}/attachments/{attachment}',
      (t) => `/api/teams/${t}/attachments/${attachmentOf(t)}`,
    ),
    write(
      'POST',
      '/api/teams/{team}/drafts',
      (t) => `/api/teams/${t}/drafts`,
      201,
      () => ({ title: 'draft' }),
    ),
    write(
      'PUT',
      '/api/teams/{team}/drafts/{draft}',
      (t) => `/api/teams/${t}/drafts/${draftOf(t)}`,
      200,
      () => ({ title: 'edited' }),
    ),
    write('DELETE', '/api/teams/{team}/drafts/{draft}', (t) => `/api/teams/${t}/drafts/${draftOf(t)}`, 204),
    write(
      'POST',
      '/api/teams/{team}/drafts/{draft}/submit',
      (t) => `/api/teams/${t}/drafts/${draftOf(t)}/submit`,
      201,
      () => ({}),
    ),
    write(
      'POST',
      '/api/teams/{team}/attachments',
      (t) => `/api/teams/${t}/attachments`,
      201,
      () => ({
        name: 'excerpt.txt',
        contentType: 'text/plain',
        content: Buffer.from('10:03 beacon').toString('base64'),
      }),
    ),
  ];
}

const CALLERS: Caller[] = ['anonymous', 'controller', 'evaluator', 'team', 'spectator'];

interface Case {
  name: string;
  route: Route;
  caller: Caller;
  target: Target;
  status: number;
}

const CASES: Case[] = ROUTES.flatMap((route) =>
  CALLERS.flatMap((caller) => {
    const targets: Target[] = route.teamScoped ? ['own', 'other'] : ['own'];
    return targets.map((target) => {
      const status = target === 'other' && caller === 'team' ? route.otherTeam! : route.expect[caller];
      const where = route.teamScoped ? ` on the ${target} team` : '';
      return {
        name: `${route.method} ${route.pattern} as ${caller}${where} → ${status}`,
        route,
        caller,
        target,
        status,
      };
    });
  }),
);

describe('REST authorisation matrix', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const team = c.target === 'own' ? 't01' : 't02';
    const r = await call(c.caller, c.route.method, c.route.path(team), c.route.body?.());
    expect({ status: r.status, body: r.status >= 400 ? r.body : 'ok' }).toMatchObject({
      status: c.status,
      ...(c.status >= 400
        ? { body: { error: { code: expect.any(String), message: expect.any(String) } } }
        : {}),
    });
  });

  it('covers every route × every caller (and both teams for team routes)', () => {
    expect(CASES).toHaveLength(ROUTES.reduce((n, r) => n + CALLERS.length * (r.teamScoped ? 2 : 1), 0));
    // Every documented route that needs a login is in the matrix (openapi.test.ts ties the document to the routes).
    const doc = openApiDocument() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const needLogin = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security === undefined)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const inMatrix = ROUTES.map((r) => `${r.method} ${r.pattern}`);
    expect(needLogin.filter((r) => r !== 'POST /api/auth/logout').sort()).toEqual([...inMatrix].sort());
  });

  it('never shows the t01 member anything of t02, on any route it may read', async () => {
    const paths = [
      '/api/me',
      '/api/scoreboard',
      '/api/teams',
      '/api/teams/t01/inbox',
      '/api/teams/t01/events',
      '/api/teams/t01/reports',
      '/api/teams/t01/score',
    ];
    for (const p of paths) {
      const r = await clients.get('team')!.req('GET', p);
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(SECRET_OF_T02);
    }
    const teams = (await clients.get('team')!.req('GET', '/api/teams')).body.teams;
    expect(teams).toEqual([{ id: 't01', name: 'Red Pandas' }]);
    // The white cell does see it.
    const staff = await clients.get('evaluator')!.req('GET', '/api/teams/t02/reports');
    expect(JSON.stringify(staff.body)).toContain(SECRET_OF_T02);
  });
});

describe('socket.io authorisation', () => {
  it('answers team:score:get for the own team only; the white cell for any team; spectators never', async () => {
    const ask = async (caller: Exclude<Caller, 'anonymous'>, team: string) => {
      const s = await clients.get(caller)!.socket();
      try {
        return await s.timeout(3000).emitWithAck('team:score:get', { team });
      } finally {
        s.disconnect();
      }
    };
    expect(await ask('team', 't01')).toMatchObject({ ok: true, data: { team: 't01' } });
    expect(await ask('team', 't02')).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'not your team', field: 'payload.team' },
    });
    expect(await ask('spectator', 't01')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ask('evaluator', 't02')).toMatchObject({ ok: true, data: { team: 't02' } });
    expect(await ask('controller', 't01')).toMatchObject({ ok: true, data: { team: 't01' } });
  });

  it('gives each audience its own scoreboard on scoreboard:get', async () => {
    for (const [caller, audience] of [
      ['controller', 'staff'],
      ['evaluator', 'staff'],
      ['team', 'public'],
      ['spectator', 'public'],
    ] as const) {
      const s = await clients.get(caller)!.socket();
      const a = await s.timeout(3000).emitWithAck('scoreboard:get', {});
      s.disconnect();
      expect(a).toMatchObject({ ok: true, data: { audience } });
    }
  });

  it('delivers a team inbox message to that team only', async () => {
    const mine = await clients.get('team')!.socket();
    const spectator = await clients.get('spectator')!.socket();
    const leaked: unknown[] = [];
    mine.on('inbox:message', (m) => leaked.push(m));
    spectator.on('inbox:message', (m) => leaked.push(m));
    const t02 = await h.login('team', 't02');
    const theirs = await t02.socket();
    const got = nextEvent<{ team: string; subject: string }>(theirs, 'inbox:message');
    h.append([message('t02', `again ${SECRET_OF_T02}`)]);
    expect(await got).toMatchObject({ team: 't02', subject: `again ${SECRET_OF_T02}` });
    const own = nextEvent<{ team: string }>(mine, 'inbox:message');
    h.append([message('t01', 'pandas only')]);
    expect(await own).toMatchObject({ team: 't01' });
    expect(JSON.stringify(leaked)).not.toContain(SECRET_OF_T02);
    mine.disconnect();
    spectator.disconnect();
  });

  it('refuses a connection from a foreign Origin even with a valid cookie', async () => {
    const s = connect(h.url, clients.get('controller')!.cookie, { origin: 'https://evil.example' });
    const err = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      s.once('connect_error', resolve),
    );
    expect(err.data?.code).toBe('csrf_failed');
    s.disconnect();
  });
});
