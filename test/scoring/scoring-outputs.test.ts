import type { EngineEvent } from '../../src/engine/events/event-types';
import type { ScoringEvent } from '../../src/scoring/scoring-events';
import { scoringOutputs } from '../../src/scoring/scoring-outputs';
import { scoreTeam } from '../../src/scoring/team-score';
import { buildPlan, C2_DOMAIN, Log } from './fixtures';

const plan = buildPlan();

/** Appends outputs the way the event store does: events with a key already present are dropped. */
function append(log: ScoringEvent[], out: EngineEvent[], at: number): ScoringEvent[] {
  const keys = new Set(log.map((e) => e.key));
  const fresh = out.filter((e) => !keys.has(e.key));
  return [
    ...log,
    ...fresh.map(
      (e, i) =>
        ({ ...e, session: 's1', seq: 1000 + log.length + i, scenarioTime: at, wallTime: 0 }) as ScoringEvent,
    ),
  ];
}

describe('events written back to the log', () => {
  test('one score.changed per entry with grader, and resolutions; a second call adds nothing', () => {
    const log = new Log()
      .steps('team1')
      .report('team1', 1300, { indicators: [C2_DOMAIN, '198.51.100.9'] })
      .add('expectation.graded', 'team1', 1400, {
        expectation: 'debrief-quality',
        level: 'adequate',
        grader: 'eve',
        reason: 'gaps',
      });
    const score = scoreTeam(plan, 'team1', log.events);
    const out = scoringOutputs('s1', score, log.events);
    expect(
      out.map((e) => [
        e.type,
        e.type === 'score.changed'
          ? e.payload.delta
          : e.type === 'expectation.resolved'
            ? e.payload.result
            : null,
        e.key,
      ]),
    ).toEqual([
      ['score.changed', 50, 's1/score/team1/3/expectation/detect-c2/0'],
      ['score.changed', -20, 's1/score/team1/3/false-positive//0'],
      ['score.changed', 30, 's1/score/team1/4/manual-grade/debrief-quality/0'],
      ['expectation.resolved', 'met', 's1/resolved/team1/detect-c2'],
      ['expectation.resolved', 'met', 's1/resolved/team1/debrief-quality'],
    ]);
    expect(out[2]).toMatchObject({ payload: { grader: 'eve', expectation: 'debrief-quality' } });
    const after = append(log.events, out, 1400);
    expect(scoringOutputs('s1', scoreTeam(plan, 'team1', after), after)).toEqual([]);
  });

  test('an expectation fails once expired, partial credit stays', () => {
    const log = new Log().steps('team1').report('team1', 700, { hosts: ['pc-0001'] });
    const score = scoreTeam(plan, 'team1', log.events, { now: 600 + 7201 });
    const resolved = scoringOutputs('s1', score, log.events).filter((e) => e.type === 'expectation.resolved');
    expect(resolved.map((e) => e.payload)).toContainEqual({
      expectation: 'detect-phish',
      inject: 'phish',
      result: 'failed',
    });
    expect(score.total).toBe(33);
  });

  test('a late fact that changes earlier points is corrected so the log sums to the score', () => {
    const base = new Log().steps('team1').report('team1', 1300, { hosts: ['pc-0001'] });
    let written = append(
      base.events,
      scoringOutputs('s1', scoreTeam(plan, 'team1', base.events), base.events),
      1300,
    );
    // A pretend stale entry: the log says 40 where the score now says 33.
    written = written.map((e) =>
      e.type === 'score.changed' ? ({ ...e, payload: { ...e.payload, delta: 40 } } as ScoringEvent) : e,
    );
    const out = scoringOutputs('s1', scoreTeam(plan, 'team1', written), written);
    expect(out).toEqual([
      {
        type: 'score.changed',
        team: 'team1',
        key: 's1/score/team1/correction/40->33',
        payload: { delta: -7, reason: 'correction: a late fact changed earlier points (40 → 33)' },
      },
    ]);
  });
});
