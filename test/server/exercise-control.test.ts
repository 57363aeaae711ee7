/**
 * The controller runs the exercise through the API: clock verbs, manual injects and the freeze,
 * against a real SessionRunner writing to the same database. Refusals carry the runner's reason
 * (409); a server that does not run the exercise answers 503.
 */
import type { ScoreboardView } from '../../src/wire/views';
import { type Client, type Harness, nextEvent, startHarness } from './support/harness';

let h: Harness;
let controller: Client;

afterEach(async () => {
  await h.close();
});

describe('with a session runner', () => {
  beforeEach(async () => {
    h = await startHarness({ runner: true });
    controller = await h.login('controller');
  });

  it('starts, pauses, resumes, changes speed and stops the clock, refusing verbs the state does not allow', async () => {
    const clock = (body: unknown) => controller.req('POST', '/api/exercise/clock', body);
    expect((await clock({ action: 'start', speed: 2 })).body).toMatchObject({
      status: 'running',
      compression: 2,
    });
    expect((await controller.req('GET', '/api/health')).body.clock).toBe('running');
    expect((await clock({ action: 'pause' })).body.status).toBe('paused');
    const again = await clock({ action: 'pause' });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: 'conflict',
      message: 'session test-session is paused — only a running session can pause',
    });
    expect((await clock({ action: 'resume' })).body.status).toBe('running');
    expect((await clock({ action: 'speed', speed: 5 })).body.compression).toBe(5);
    expect((await clock({ action: 'speed' })).status).toBe(422);
    expect((await clock({ action: 'stop' })).body.status).toBe('stopped');
    const types = h.store.read('test-session').map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'clock.started',
        'clock.paused',
        'clock.resumed',
        'clock.speed-changed',
        'clock.stopped',
      ]),
    );
  });

  it('fires an inject now for one team: its message reaches that team only', async () => {
    await controller.req('POST', '/api/exercise/clock', { action: 'start', speed: 1 });
    const t01 = await (await h.login('team', 't01')).socket();
    const t02 = await (await h.login('team', 't02')).socket();
    const leaked: unknown[] = [];
    t02.on('inbox:message', (m) => leaked.push(m));
    const arrived = nextEvent<{ subject: string; team: string }>(t01, 'inbox:message');
    const r = await controller.req('POST', '/api/exercise/injects/soc-call/fire', {
      team: 't01',
      reason: 'SOC call early',
    });
    expect(r.status).toBe(202);
    expect(await arrived).toMatchObject({
      team: 't01',
      subject: 'Suspicious periodic connections through your proxy',
    });
    await new Promise((res) => setTimeout(res, 100));
    expect(leaked).toEqual([]);
    const override = h.store.read('test-session').find((e) => e.type === 'controller.override');
    expect(override).toMatchObject({
      team: 't01',
      payload: { action: 'fire', inject: 'soc-call', by: 'controller', reason: 'SOC call early' },
    });
  });

  it('validates inject verbs', async () => {
    const post = (path: string, body: unknown) => controller.req('POST', path, body);
    expect((await post('/api/exercise/injects/nope/fire', { reason: 'x' })).status).toBe(404);
    expect((await post('/api/exercise/injects/soc-call/explode', { reason: 'x' })).status).toBe(422);
    expect(
      (await post('/api/exercise/injects/soc-call/fire', { team: 't99', reason: 'x' })).body.error.field,
    ).toBe('body.team');
    expect((await post('/api/exercise/injects/soc-call/fire', {})).body.error.field).toBe('body.reason');
    expect((await post('/api/exercise/injects/soc-call/skip', { reason: 'level C' })).status).toBe(202);
  });

  it('freezes and unfreezes the public board, pushing it to spectators', async () => {
    const spectator = await (await h.login('spectator')).socket();
    const frozen = nextEvent<ScoreboardView>(spectator, 'scoreboard:update', (b) => b.frozen);
    const r = await controller.req('POST', '/api/scoreboard/freeze', { frozen: true, reason: 'last hour' });
    expect(r.body).toEqual({ frozen: true });
    await frozen;
    const thawed = nextEvent<ScoreboardView>(spectator, 'scoreboard:update', (b) => !b.frozen);
    expect(
      (await controller.req('POST', '/api/scoreboard/freeze', { frozen: false, reason: 'results' })).body,
    ).toEqual({ frozen: false });
    await thawed;
  });
});

describe('without a session runner', () => {
  it('answers the clock and inject verbs with 503', async () => {
    h = await startHarness();
    controller = await h.login('controller');
    const r = await controller.req('POST', '/api/exercise/clock', { action: 'pause' });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('unavailable');
  });
});
