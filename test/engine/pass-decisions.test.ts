import {
  changeSpeed,
  initialClock,
  pauseClock,
  resumeClock,
  startClock,
} from '../../src/engine/clock/exercise-clock';
import type { StoredEvent } from '../../src/engine/events/event-types';
import { dueWall, passDecisions } from '../../src/engine/scheduler/pass-decisions';
import { buildSchedule } from '../../src/engine/scheduler/schedule';
import { applyEvent, emptySession } from '../../src/engine/state/session-state';
import { smallPlan } from './fixtures';

const W = Date.UTC(2026, 10, 26, 1, 0, 0);

function setup() {
  const plan = smallPlan();
  const state = emptySession('s');
  let seq = 0;
  const apply = (e: Omit<StoredEvent, 'session' | 'seq'>) =>
    applyEvent(state, { ...e, session: 's', seq: ++seq } as StoredEvent);
  apply({
    type: 'session.created',
    team: null,
    scenarioTime: 0,
    wallTime: W,
    payload: {
      scenario: 'f',
      title: 'f',
      teams: ['team1', 'team2'],
      scenarioEpochMs: W,
      compression: 60,
      seed: 1,
    },
  });
  apply({ type: 'clock.started', team: null, scenarioTime: 0, wallTime: W, payload: { compression: 60 } });
  const pass = (now: number, graceMs = 60_000) =>
    passDecisions({ session: 's', teams: plan.teams, schedule: buildSchedule(plan, W), state, now, graceMs });
  return { plan, state, apply, pass };
}

describe('pass decisions', () => {
  it('fires one-shot injects however late, recording the lateness, under one decision key each', () => {
    const { pass } = setup();
    const p = pass(W + 10_000 + 3_600_000); // T+600 was due an hour (wall) ago
    const fired = p.events.filter((e) => e.type === 'inject.fired');
    expect(
      fired.map((e) => [e.team, e.key, e.type === 'inject.fired' && e.payload.latenessMs]),
    ).toContainEqual(['team1', 's/team1/phish-mail/0/decision', 3_600_000 + 10_000 - 10_000]);
    expect(new Set(p.events.map((e) => e.key)).size).toBe(p.events.length);
  });

  it('skips a cron occurrence past the grace as missed, and fires it within the grace', () => {
    const { pass } = setup();
    const late = pass(W + 20_000 + 1_001, 1000); // beacon c0 at T+1200 = W+20 s, 1,001 ms late
    expect(late.events.find((e) => e.key === 's/team1/beacon/c0/decision')).toMatchObject({
      type: 'inject.skipped',
      payload: { reason: 'missed', detail: '1001 ms late, past the 1000 ms grace' },
    });
    const onTime = pass(W + 20_000 + 999, 1000);
    expect(onTime.events.find((e) => e.key === 's/team1/beacon/c0/decision')?.type).toBe('inject.fired');
  });

  it('measures a controller request’s lateness from the request', () => {
    const { apply, pass } = setup();
    apply({
      type: 'controller.override',
      team: 'team2',
      scenarioTime: 60,
      wallTime: W + 1000,
      payload: { action: 'fire', inject: 'press', by: 'c', reason: 'r' },
    });
    const p = pass(W + 1_004);
    const e = p.events.find((x) => x.type === 'inject.fired' && x.payload.inject === 'press');
    expect(e && e.type === 'inject.fired' && [e.team, e.payload.manual, e.payload.latenessMs]).toEqual([
      'team2',
      true,
      4,
    ]);
  });

  it('decides nothing while the clock is paused', () => {
    const { apply, pass } = setup();
    apply({ type: 'clock.paused', team: null, scenarioTime: 300, wallTime: W + 5000, payload: {} });
    expect(pass(W + 99_999_999).events).toEqual([]);
  });

  it('dates a due time reached before the current clock segment from the segment’s start', () => {
    let c = startClock(initialClock(1), W, 60);
    c = pauseClock(c, W + 5000); // T+300
    c = resumeClock(c, W + 60_000);
    expect(dueWall(c, 200, W + 61_000)).toBe(W + 60_000);
    expect(dueWall(c, 360, W + 61_000)).toBe(W + 61_000);
    c = changeSpeed(c, W + 61_000, 120);
    expect(dueWall(c, 480, W + 61_000)).toBe(W + 62_000);
  });
});
