/**
 * `POST /api/teams/:team/hints`: the white cell's hint reaches that team's inbox (and no other's)
 * and costs the scenario's hint penalty (25 by default) or the cost given.
 */
import { type Harness, startHarness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.close();
});

async function totalOf(team: string, expected: number): Promise<number> {
  const c = await h.login('controller');
  let total = Number.NaN;
  for (let i = 0; i < 50 && total !== expected; i++) {
    total = (await c.req('GET', `/api/teams/${team}/score`)).body.total;
    if (total !== expected) await new Promise((ok) => setTimeout(ok, 50));
  }
  return total;
}

describe('POST /api/teams/:team/hints', () => {
  it('delivers the hint to the team only and charges the hint penalty', async () => {
    const c = await h.login('controller');
    const before = await totalOf('t01', 0);
    const r = await c.req('POST', '/api/teams/t01/hints', { hint: 'Look at the <b>proxy</b> log' });
    expect(r.status).toBe(201);
    expect(r.body.by).toBeTruthy();

    const inbox = (await (await h.login('team', 't01')).req('GET', '/api/teams/t01/inbox')).body.messages;
    expect(inbox.map((m: { body: string }) => m.body)).toContain('Look at the <b>proxy</b> log');
    const other = (await (await h.login('team', 't02')).req('GET', '/api/teams/t02/inbox')).body.messages;
    expect(other.map((m: { body: string }) => m.body)).not.toContain('Look at the <b>proxy</b> log');

    expect(await totalOf('t01', before - 25)).toBe(before - 25);
    expect(await totalOf('t02', 0)).toBe(0);
  });

  it('takes an explicit cost, and refuses bad input with 4xx', async () => {
    const c = await h.login('controller');
    const before = await totalOf('t02', 0);
    expect((await c.req('POST', '/api/teams/t02/hints', { hint: 'Check DNS', cost: 10 })).status).toBe(201);
    expect(await totalOf('t02', before - 10)).toBe(before - 10);
    expect((await c.req('POST', '/api/teams/t02/hints', { hint: '' })).status).toBe(422);
    expect((await c.req('POST', '/api/teams/t02/hints', { hint: 'x', inject: 'nope' })).status).toBe(422);
    expect((await c.req('POST', '/api/teams/t02/hints', { hint: 'x', extra: 1 })).status).toBe(422);
    expect((await c.req('POST', '/api/teams/t99/hints', { hint: 'x' })).status).toBe(404);
  });
});
