/**
 * Setup mode (`cyrange serve` without a FILE) over real HTTP and socket.io, a real SQLite file
 * and the real scenario loader: only the controller gets in; bad input is a 4xx naming the
 * field; problems come back at their line; a launch with no container engine fails with the fix
 * and can be retried; a simulated launch writes the scenario text before it answers, streams
 * progress, hands the controller a login of the new exercise on the same port, and a restarted
 * server resumes that exercise instead of showing setup again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { serveSetupMode } from '../../src/cli/serve-setup';
import { EventStore } from '../../src/engine/store/event-store';
import { DEFAULTS } from '../../src/server/config';
import { LaunchStore } from '../../src/server/setup/launch-store';
import type { SetupStateView } from '../../src/wire/setup';
import { runCli } from './support/cli-process';
import { Client, connect, nextEvent, QUICKSTART, request } from './support/harness';
import { type RunningSetup, runSetup, watchLaunch } from './support/setup-mode';

const TEXT = readFileSync(QUICKSTART, 'utf8');

let dir: string;
let setup: RunningSetup;
let controller: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cyrange-setup-'));
  setup = await runSetup(join(dir, 'x.db'));
  controller = await Client.join(setup.url, setup.token);
});

afterAll(async () => {
  controller?.disconnect();
  await setup?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const body = (extra: Record<string, unknown> = {}) => ({
  source: 'quickstart',
  text: TEXT,
  mode: 'simulated',
  ...extra,
});

describe('setup mode', () => {
  it('prints a controller link and the setup page, and says it is in setup mode', async () => {
    expect(setup.lines.join('\n')).toMatch(/^setup mode: no exercise launched/m);
    expect(setup.lines.join('\n')).toMatch(/^console {6}http:\/\/127\.0\.0\.1:\d+\/setup/m);
    const health = await request(setup.url, 'GET', '/api/health');
    expect(health.body).toEqual({ ok: true, mode: 'setup', phase: 'setup' });
  });

  it('answers only the controller', async () => {
    for (const [method, path] of [
      ['GET', '/api/setup/state'],
      ['GET', '/api/setup/scenarios'],
      ['GET', '/api/setup/scenarios/quickstart'],
      ['POST', '/api/setup/validate'],
      ['POST', '/api/setup/launch'],
    ] as const) {
      const r = await request(setup.url, method, path, method === 'POST' ? body() : undefined);
      expect({ path, status: r.status, code: r.body.error?.code }).toEqual({
        path,
        status: 401,
        code: 'unauthenticated',
      });
    }
    // A socket without the setup login is refused.
    const s = connect(setup.url);
    await expect(
      new Promise((resolve, reject) => {
        s.once('connect', () => resolve('connected'));
        s.once('connect_error', (e) => reject(e));
      }),
    ).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    s.disconnect();
  });

  it('lists the shipped scenarios and serves their text', async () => {
    const list = await controller.req('GET', '/api/setup/scenarios');
    expect(list.status).toBe(200);
    const names = list.body.scenarios.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining(['quickstart', 'agency-apt', 'city-hall-web']));
    expect(list.body.scenarios.find((s: { name: string }) => s.name === 'quickstart').title).toBe(
      'Quickstart — phishing at a small agency',
    );
    const one = await controller.req('GET', '/api/setup/scenarios/quickstart');
    expect(one.body.text).toBe(TEXT);
    expect((await controller.req('GET', '/api/setup/scenarios/nope')).status).toBe(404);
    const outside = await controller.req('GET', '/api/setup/scenarios/..%2F..%2Fpackage');
    expect(outside.status).toBe(422);
    expect(outside.body.error.field).toBe('params.name');
  });

  it('refuses bad bodies with a 4xx naming the field and the fix', async () => {
    const cases: [unknown, number, string][] = [
      [{ source: 'quickstart', text: TEXT }, 422, 'body.mode'],
      [body({ teams: 0 }), 422, 'body.teams'],
      [body({ teams: 2.5 }), 422, 'body.teams'],
      [body({ speed: -1 }), 422, 'body.speed'],
      [body({ text: '' }), 422, 'body.text'],
      [body({ source: '../etc' }), 422, 'body.source'],
      [body({ exercise: 'Bad Name' }), 422, 'body.exercise'],
      [body({ set: { 'no spaces': 'x' } }), 422, 'body.set.no spaces'],
      [body({ extra: true }), 422, 'body'],
      [body({ text: 'x'.repeat(1024 * 1024 + 1) }), 422, 'body.text'],
      [body({ text: 'x'.repeat(2 * 1024 * 1024) }), 413, 'body'],
    ];
    for (const [b, status, field] of cases) {
      const r = await controller.req('POST', '/api/setup/validate', b);
      expect({ field, status: r.status }).toEqual({ field, status });
      expect(r.body.error.field ?? 'body').toBe(field);
      expect(r.body.error.message.length).toBeGreaterThan(5);
    }
    const tooLarge = await controller.req(
      'POST',
      '/api/setup/validate',
      body({ text: 'x'.repeat(1024 * 1024 + 1) }),
    );
    expect(tooLarge.body.error.message).toMatch(/larger than 1024 KiB — split it with `include:`/);
    const notJson = await controller.req('POST', '/api/setup/validate', undefined, { raw: '{"source":' });
    expect(notJson.status).toBe(400);
    const noCsrf = await controller.req('POST', '/api/setup/validate', body(), { csrf: false });
    expect(noCsrf.status).toBe(403);
  });

  it('validates with the real loader: the plan summary, or each problem at its line', async () => {
    const live = await controller.req('POST', '/api/setup/validate', body({ mode: 'live', teams: 3 }));
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({
      ok: true,
      diagnostics: [],
      summary: {
        scenario: 'quickstart',
        teams: [{ id: 't01' }, { id: 't02' }, { id: 't03' }],
        liveHostsPerTeam: 5,
        containers: 15,
        injects: 5,
        exercise: 'quickstart',
        declared: [
          expect.objectContaining({ name: 'level', default: 'B', values: ['A', 'B', 'C'] }),
          expect.objectContaining({ name: 'speed', default: 10 }),
        ],
      },
    });
    const sim = await controller.req('POST', '/api/setup/validate', body({ set: { speed: 600 } }));
    expect(sim.body.summary).toMatchObject({ liveHostsPerTeam: 0, containers: 0, compression: 600 });
    expect(sim.body.summary.simulatedHostsPerTeam).toBe(
      live.body.summary.liveHostsPerTeam + live.body.summary.simulatedHostsPerTeam,
    );

    const broken = TEXT.replace('  duration: 30m', '  duration: soon');
    const line = TEXT.split('\n').indexOf('  duration: 30m') + 1;
    const bad = await controller.req('POST', '/api/setup/validate', body({ text: broken }));
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.diagnostics).toEqual([
      expect.objectContaining({
        file: 'quickstart.yaml',
        inText: true,
        line,
        col: 13,
        message: expect.stringContaining('`soon`'),
      }),
    ]);

    const level = await controller.req('POST', '/api/setup/validate', body({ set: { level: 'D' } }));
    expect(level.body.diagnostics).toEqual([
      expect.objectContaining({ file: '--set level', inText: false, hint: 'use one of A, B, C' }),
    ]);

    // Includes resolve inside the scenarios folder only.
    const outside = TEXT.replace('cyrange: 1', 'cyrange: 1\ninclude: [../../../../etc/hostname]');
    const out = await controller.req(
      'POST',
      '/api/setup/validate',
      body({ source: 'pasted', text: outside }),
    );
    expect(out.body.diagnostics[0]).toMatchObject({
      inText: true,
      message: expect.stringContaining('cannot read included file'),
    });
  });

  it('refuses to launch a scenario with problems, with the problems', async () => {
    const r = await controller.req(
      'POST',
      '/api/setup/launch',
      body({ text: TEXT.replace('  duration: 30m', '  duration: soon') }),
    );
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'validation_failed', field: 'body.text' });
    expect(r.body.diagnostics).toHaveLength(1);
    expect((await controller.req('GET', '/api/setup/state')).body.phase).toBe('setup');
  });

  it('reports a live launch without an engine, cleanly, and lets the controller retry', async () => {
    const socket = await controller.socket();
    const was = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${join(dir, 'no-engine.sock')}`;
    try {
      const failed = nextEvent<SetupStateView>(socket, 'setup:state', (s) => s.phase === 'failed', 15_000);
      const r = await controller.req(
        'POST',
        '/api/setup/launch',
        body({ mode: 'live', exercise: 'setup-noengine' }),
      );
      expect(r.status).toBe(202);
      const state = await failed;
      expect(state.launch).toMatchObject({ status: 'failed', mode: 'live' });
      expect(state.launch!.error).toMatch(
        /no Docker engine at .*no-engine\.sock.*— run infra\/engine\/ensure-engine\.sh/,
      );
    } finally {
      if (was === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = was;
    }
    const again = await controller.req('GET', '/api/setup/state');
    expect(again.body.phase).toBe('failed');
    socket.disconnect();
  });

  it('launches in simulated mode: durable first, progress, hand-over on the same port, resume on restart', async () => {
    const socket = await controller.socket();
    const launch = watchLaunch(socket);
    const text = TEXT.replace(
      'title: Quickstart — phishing at a small agency',
      'title: Quickstart (setup test)',
    );
    const r = await controller.req(
      'POST',
      '/api/setup/launch',
      body({ text, set: { level: 'A' }, teams: 3 }),
    );
    expect(r.status).toBe(202);
    expect(r.body.launch).toMatchObject({ status: 'launching', scenario: 'quickstart', mode: 'simulated' });
    // The text was committed before the answer: another connection reads it now.
    const db = new Database(join(dir, 'x.db'), { readonly: true });
    const row = db
      .prepare('SELECT text, options, status FROM server_launches WHERE id = ?')
      .get(r.body.launch.id) as {
      text: string;
      options: string;
    };
    db.close();
    expect(row.text).toBe(text);
    expect(JSON.parse(row.options)).toMatchObject({ teams: 3, set: { level: 'A' }, mode: 'simulated' });

    // Hand-over: the exercise answers on the same port, and the pushed token logs the controller in.
    const deadline = Date.now() + 15_000;
    let health = await request(setup.url, 'GET', '/api/health').catch(() => undefined);
    while (Date.now() < deadline && !health?.body?.session) {
      await new Promise((res) => setTimeout(res, 50));
      health = await request(setup.url, 'GET', '/api/health').catch(() => undefined);
    }
    expect(launch.launched).toBeDefined();
    expect(launch.launched!.url).toBe(`${setup.url}/join#${launch.launched!.token}`);
    expect(health!.body).toMatchObject({ ok: true, session: launch.launched!.session, clock: 'created' });
    expect(launch.progress.map((p) => p.step)).toEqual(expect.arrayContaining(['session', 'ready']));
    const exercise = await Client.join(setup.url, launch.launched!.token);
    const me = await exercise.req('GET', '/api/me');
    expect(me.body).toMatchObject({ role: 'controller', session: launch.launched!.session });
    const teams = await exercise.req('GET', '/api/teams');
    expect(teams.body.teams ?? teams.body).toHaveLength(3);
    // The setup login does not open the exercise, and setup is gone.
    expect((await controller.req('GET', '/api/me')).status).toBe(401);
    expect((await exercise.req('GET', '/api/setup/state')).status).toBe(404);
    expect(setup.lines.join('\n')).toMatch(/^launched session .* the exercise takes over/m);
    // A simulated exercise has no range to tear down.
    const td = await exercise.req('POST', '/api/range/teardown', { confirm: 'quickstart' });
    expect(td.status).toBe(409);

    // Restart: the launched exercise is resumed, not the setup.
    await setup.stop();
    const lines: string[] = [];
    const abort = new AbortController();
    const again = serveSetupMode({
      db: join(dir, 'x.db'),
      config: { ...DEFAULTS, port: 0, pollMs: 50 },
      out: (l) => lines.push(l),
      signal: abort.signal,
    });
    const until = Date.now() + 15_000;
    while (!lines.some((l) => l.startsWith('controller ')) && Date.now() < until)
      await new Promise((res) => setTimeout(res, 20));
    abort.abort();
    await again;
    expect(lines[0]).toMatch(
      new RegExp(
        `^resuming launch ${r.body.launch.id} \\(quickstart, simulated\\): session ${launch.launched!.session}$`,
      ),
    );
    expect(lines.join('\n')).toMatch(new RegExp(`^serving session ${launch.launched!.session} at`, 'm'));
    expect(lines.join('\n')).not.toMatch(/setup mode/);
  });
});

describe('the serve verb without a FILE', () => {
  it('refuses scenario flags that belong to the setup page (exit 2)', async () => {
    const p = runCli(['serve', '--db', join(dir, 'flags.db'), '--live']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('--live needs a scenario FILE (setup mode sets it on the page)');
  }, 30_000);

  it('serves setup as a real process and stops on SIGINT with nothing launched', async () => {
    const p = runCli(['serve', '--db', join(dir, 'proc.db'), '--port', '0']);
    try {
      const deadline = Date.now() + 20_000;
      let m: RegExpMatchArray | null = null;
      while (!m && Date.now() < deadline) {
        m = p.output().match(/^controller {3}(http:\/\/[^/]+)\/join#(\S+)$/m);
        if (!m) await new Promise((r) => setTimeout(r, 50));
      }
      expect(m).not.toBeNull();
      const c = await Client.join(m![1]!, m![2]!);
      expect((await c.req('GET', '/api/setup/state')).body).toEqual({ phase: 'setup' });
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
      expect(p.output()).toContain('stopped the setup server; nothing was launched');
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 30_000);
});

describe('a launch the server did not finish', () => {
  it('is marked interrupted at the next start, and setup is shown again with it', async () => {
    const db = join(dir, 'interrupted.db');
    const store = new EventStore(db);
    new LaunchStore(store.db, () => Date.now()).begin(
      { source: 'quickstart', text: TEXT, mode: 'simulated' },
      'quickstart',
      undefined,
    );
    store.close();
    const again = await runSetup(db);
    try {
      const c = await Client.join(again.url, again.token);
      const state = await c.req('GET', '/api/setup/state');
      expect(state.body).toMatchObject({
        phase: 'setup',
        launch: {
          status: 'interrupted',
          scenario: 'quickstart',
          error: 'the server stopped during this launch',
        },
      });
      expect(again.lines.join('\n')).toMatch(/^setup mode/m);
    } finally {
      await again.stop();
    }
  });
});
