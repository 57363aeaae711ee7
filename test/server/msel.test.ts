/**
 * `GET /api/exercise/msel`: every inject of the scenario with each team's state of it, for the
 * white cell only; and `POST /api/teams/:team/overrides`, which the score then reads.
 */
import type { EngineEvent } from '../../src/engine/events/event-types';
import { type Harness, quickstartPlanWithDebrief, startHarness } from './support/harness';

let h: Harness;

beforeAll(async () => {
  const plan = quickstartPlanWithDebrief();
  h = await startHarness({ plan });
});

afterAll(async () => {
  await h.close();
});

const fired = (team: string, inject: string): EngineEvent =>
  ({
    type: 'inject.fired',
    team,
    payload: {
      inject,
      occurrence: '0',
      scheduledAt: 120,
      scheduledWall: Date.now(),
      latenessMs: 0,
      trackable: `${inject}-${team}`,
    },
  }) as unknown as EngineEvent;

describe('GET /api/exercise/msel', () => {
  it('lists every inject with per-team state, the trigger and the next due time', async () => {
    h.append([fired('t01', 'phish-opened')], 120);
    h.append(
      [
        {
          type: 'inject.succeeded',
          team: 't01',
          payload: { inject: 'phish-opened', occurrence: '0', detail: 'ran' },
        } as EngineEvent,
      ],
      125,
    );
    const c = await h.login('controller');
    const r = await c.req('GET', '/api/exercise/msel');
    expect(r.status).toBe(200);
    expect(r.body.teams.map((t: { id: string }) => t.id)).toEqual(h.plan.teams.map((t) => t.id));
    expect(r.body.injects.map((i: { id: string }) => i.id)).toEqual(h.plan.injects.map((i) => i.id));
    const phish = r.body.injects.find((i: { id: string }) => i.id === 'phish-opened');
    expect(phish).toMatchObject({ title: expect.any(String), phase: 'initial-access', trigger: 'offset' });
    expect(phish.triggerSummary).toBe('T+2m');
    expect(phish.teams.t01).toMatchObject({ state: 'succeeded', at: 120, outcomeAt: 125, occurrences: 1 });
    expect(phish.teams.t02).toMatchObject({ state: 'pending', nextDueAt: 120, occurrences: 0 });
    const beacon = r.body.injects.find((i: { id: string }) => i.id === 'beacon');
    expect(beacon.triggerSummary).toMatch(/^after phish-opened/);
    // t01's branch is known (one minute after the success); t02's is not yet.
    expect(beacon.teams.t01).toMatchObject({ state: 'pending', nextDueAt: 185 });
    expect(beacon.teams.t02.nextDueAt).toBeUndefined();
    const due = r.body.injects.find((i: { id: string }) => i.id === 'report-due');
    expect(due.expectations).toContainEqual(
      expect.objectContaining({
        id: 'debrief',
        type: 'manual',
        rubric: [expect.objectContaining({ level: 'excellent' })],
      }),
    );
  });

  it('is for the white cell only', async () => {
    expect((await (await h.login('evaluator')).req('GET', '/api/exercise/msel')).status).toBe(200);
    expect((await (await h.login('team', 't01')).req('GET', '/api/exercise/msel')).status).toBe(403);
    expect((await (await h.login('spectator')).req('GET', '/api/exercise/msel')).status).toBe(403);
  });
});

describe('POST /api/teams/:team/overrides', () => {
  it('needs a reason, caps the points, and changes the score', async () => {
    const c = await h.login('controller');
    const before = (await c.req('GET', '/api/teams/t02/score')).body.total;
    expect(
      (await c.req('POST', '/api/teams/t02/overrides', { expectation: 'debrief', points: 40 })).status,
    ).toBe(422);
    expect(
      (await c.req('POST', '/api/teams/t02/overrides', { expectation: 'debrief', points: 61, reason: 'x' }))
        .status,
    ).toBe(422);
    const r = await c.req('POST', '/api/teams/t02/overrides', {
      expectation: 'debrief',
      points: 40,
      reason: 'range fault',
    });
    expect(r.status).toBe(201);
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((ok) => setTimeout(ok, 50));
      after = (await c.req('GET', '/api/teams/t02/score')).body.total;
    }
    expect(after).toBe(before + 40);
  });
});
