import type { EngineEvent, StoredEvent } from '../../src/engine/events/event-types';
import { evaluateCondition } from '../../src/engine/scheduler/conditions';
import { cronOccurrences, MAX_CRON_OCCURRENCES } from '../../src/engine/scheduler/cron-occurrences';
import { decide, nextDueAt } from '../../src/engine/scheduler/due-injects';
import { buildSchedule } from '../../src/engine/scheduler/schedule';
import {
  applyEvent,
  emptySession,
  type OccurrenceState,
  type TeamState,
} from '../../src/engine/state/session-state';
import { smallPlan } from './fixtures';

const EPOCH = Date.UTC(2026, 10, 26, 1, 0, 0); // 10:00 Asia/Tokyo

/** A session state driven by hand-written events, as the log would give them. */
function harness() {
  const plan = smallPlan();
  const schedule = buildSchedule(plan, EPOCH);
  const state = emptySession('s');
  let seq = 0;
  const apply = (event: EngineEvent, scenarioTime: number) =>
    applyEvent(state, {
      ...event,
      session: 's',
      seq: ++seq,
      scenarioTime,
      wallTime: EPOCH + scenarioTime * 1000,
    } as StoredEvent);
  apply(
    {
      type: 'session.created',
      team: null,
      payload: {
        scenario: 'f',
        title: 'f',
        teams: ['team1', 'team2'],
        scenarioEpochMs: EPOCH,
        compression: 1,
        seed: 1,
      },
    },
    0,
  );
  apply({ type: 'clock.started', team: null, payload: { compression: 1 } }, 0);
  const team = (id = 'team1') => state.teams.get(id)!;
  /** Applies a decision the way the runner would: fired then succeeded. */
  const run = (t: number, teamId = 'team1', outcome: 'succeeded' | 'failed' = 'succeeded') => {
    const d = decide(schedule, team(teamId), t);
    for (const f of d.fire) {
      apply(
        {
          type: 'inject.fired',
          team: teamId,
          payload: {
            inject: f.inject.id,
            occurrence: f.occurrence,
            scheduledAt: f.scheduledAt,
            scheduledWall: 0,
            latenessMs: 0,
            trackable: 'x',
            manual: f.manual,
          },
        },
        t,
      );
      apply(
        {
          type: outcome === 'succeeded' ? 'inject.succeeded' : 'inject.failed',
          team: teamId,
          payload: { inject: f.inject.id, occurrence: f.occurrence, detail: '' },
        },
        t,
      );
    }
    for (const s of d.skip)
      apply(
        {
          type: 'inject.skipped',
          team: teamId,
          payload: { inject: s.inject.id, occurrence: s.occurrence, reason: s.reason, detail: s.detail },
        },
        t,
      );
    return {
      fire: d.fire.map((f) => `${f.inject.id}/${f.occurrence}`),
      skip: d.skip.map((s) => `${s.inject.id}/${s.occurrence}:${s.reason}`),
    };
  };
  return { plan, schedule, state, apply, team, run };
}

describe('cron occurrences', () => {
  it('expands on the scenario calendar in its time zone, inclusive at both ends', () => {
    expect(
      cronOccurrences('*/10 * * * *', { from: 1200, until: 3600, epochMs: EPOCH, timezone: 'Asia/Tokyo' }),
    ).toEqual([1200, 1800, 2400, 3000, 3600]);
    // "at noon" in Tokyo is T+2h when the scenario starts at 10:00 Tokyo.
    expect(
      cronOccurrences('0 12 * * *', { from: 0, until: 86400, epochMs: EPOCH, timezone: 'Asia/Tokyo' }),
    ).toEqual([7200]);
    // A T+0 off the minute: occurrences stay on wall-clock minutes.
    expect(
      cronOccurrences('* * * * *', { from: 0, until: 150, epochMs: EPOCH + 30_000, timezone: 'UTC' }),
    ).toEqual([30, 90, 150]);
  });

  it('refuses expressions that would expand without bound', () => {
    expect(() =>
      cronOccurrences('* * * * * *', { from: 0, until: 2 * 86400, epochMs: EPOCH, timezone: 'UTC' }),
    ).toThrow(new RegExp(`more than ${MAX_CRON_OCCURRENCES}`));
  });
});

describe('decide', () => {
  it('fires offset injects once, at their time and not before', () => {
    const h = harness();
    expect(h.run(599).fire).toEqual([]);
    expect(h.run(600).fire).toEqual(['phish-mail/0']);
    expect(h.run(601).fire).toEqual([]);
    expect(nextDueAt(h.schedule, h.team(), 601)).toBe(1200);
  });

  it('fires after-triggers on success, not on failure, with their delay', () => {
    const h = harness();
    h.run(600);
    expect(h.run(1200, 'team1', 'failed').fire).toEqual(['c2-traffic/0', 'beacon/c0']);
    expect(nextDueAt(h.schedule, h.team(), 1200)).toBe(1800); // soc-call never: c2-traffic failed
    const g = harness();
    g.run(1200);
    expect(nextDueAt(g.schedule, g.team(), 1200)).toBe(1500);
    expect(g.run(1499).fire).toEqual([]);
    expect(g.run(1500).fire).toEqual(['soc-call/a0']);
  });

  it('reports an overdue, undecided trigger as next due, so the timer loop does not sleep past it', () => {
    // Regression: at ×600 an after-trigger became due 1 ms after a pass, while the pass was still
    // writing; nextDueAt only looked strictly after "now" and the loop slept until the next offset.
    const h = harness();
    h.run(1200);
    expect(nextDueAt(h.schedule, h.team(), 1500.5)).toBe(1500); // soc-call, due at 1500, not yet decided
    h.run(1500.5);
    expect(nextDueAt(h.schedule, h.team(), 1500.5)).toBe(1800); // the next beacon
  });

  it('fires after-triggers on expiry of the referenced inject’s expectations', () => {
    const h = harness();
    h.run(600); // phish-mail at 600, expectation expiry 3600 → escalate at 4200
    expect(h.run(4199).fire).not.toContain('escalate/a0');
    expect(h.run(4200).fire).toContain('escalate/a0');
  });

  it('skips on a false condition, per team: the teams that contained see a different story', () => {
    const h = harness();
    h.apply(
      {
        type: 'expectation.resolved',
        team: 'team1',
        payload: { expectation: 'contain-pc', inject: 'c2-traffic', result: 'met' },
      },
      100,
    );
    const t1 = h.run(7200, 'team1');
    const t2 = h.run(7200, 'team2');
    expect(t1.skip).toEqual(expect.arrayContaining(['lateral/0:condition']));
    expect(t1.fire).not.toContain('lateral/0');
    expect(t2.fire).toContain('lateral/0');
  });

  it('fires only the newest due cron occurrence and marks the older ones missed', () => {
    const h = harness();
    h.run(1200);
    const later = h.run(3000);
    expect(later.fire).toContain('beacon/c3');
    expect(later.skip).toEqual(['beacon/c1:missed', 'beacon/c2:missed']);
    expect(nextDueAt(h.schedule, h.team(), 3000)).toBe(3600);
    h.run(3600);
    // escalate: phish-mail fired (late) at 1200 + expiry 3600; the cron is exhausted.
    expect(nextDueAt(h.schedule, h.team(), 3600)).toBe(4800);
  });

  it('fires manual requests once each, ignoring conditions, and honours controller skips', () => {
    const h = harness();
    expect(h.run(10).fire).toEqual([]);
    h.apply(
      {
        type: 'controller.override',
        team: 'team1',
        payload: { action: 'fire', inject: 'press', by: 'c', reason: 'r' },
      },
      20,
    );
    h.apply(
      {
        type: 'controller.override',
        team: 'team1',
        payload: { action: 'fire', inject: 'press', by: 'c', reason: 'again' },
      },
      25,
    );
    expect(h.run(30).fire).toEqual(['press/m3', 'press/m4']);
    expect(h.run(31).fire).toEqual([]);
    h.apply(
      {
        type: 'controller.override',
        team: null,
        payload: { action: 'skip', inject: 'phish-mail', by: 'c', reason: 'r' },
      },
      40,
    );
    expect(h.run(600).fire).toEqual([]);
    expect(h.run(600, 'team2').fire).toEqual([]);
  });
});

describe('conditions', () => {
  const team = (): TeamState => ({
    id: 't',
    name: 't',
    occurrences: new Map<string, Map<string, OccurrenceState>>([
      ['a', new Map([['0', { status: 'succeeded', at: 1 }]])],
      ['b', new Map([['0', { status: 'skipped', at: 1 }]])],
    ]),
    expectations: new Map([
      ['e1', 'met' as const],
      ['e2', 'failed' as const],
    ]),
    manualRequests: [],
    cancelled: new Set(),
    score: 0,
    messages: 0,
  });

  it.each([
    [{ expectation: 'e1', is: 'met' as const }, true],
    [{ expectation: 'e1', is: 'unmet' as const }, false],
    [{ expectation: 'e2', is: 'unmet' as const }, true],
    [{ expectation: 'e2', is: 'failed' as const }, true],
    [{ expectation: 'e3', is: 'unmet' as const }, true],
    [{ expectation: 'e3', is: 'failed' as const }, false],
    [{ inject: 'a', is: 'fired' as const }, true],
    [{ inject: 'a', is: 'succeeded' as const }, true],
    [{ inject: 'a', is: 'failed' as const }, false],
    [{ inject: 'b', is: 'fired' as const }, false],
    [{ inject: 'b', is: 'not-fired' as const }, true],
    [
      {
        all: [
          { inject: 'a', is: 'fired' as const },
          { expectation: 'e1', is: 'met' as const },
        ],
      },
      true,
    ],
    [
      {
        any: [
          { inject: 'b', is: 'fired' as const },
          { expectation: 'e2', is: 'met' as const },
        ],
      },
      false,
    ],
    [{ not: { inject: 'b', is: 'fired' as const } }, true],
  ])('%j → %s', (c, expected) => {
    expect(evaluateCondition(c, team())).toBe(expected);
  });
});
