import { anonymousNames } from '../../src/scoring/anonymise';
import { freezeAt, visibleEntries } from '../../src/scoring/freeze';
import { rankTeams } from '../../src/scoring/ranking';
import type { ScoreEntry } from '../../src/scoring/score-entry';
import { Log } from './fixtures';

describe('freeze', () => {
  test.each<[string, number | undefined, [string, number][], number, number | null]>([
    ['no freeze', undefined, [], 5000, null],
    ['scenario freeze not reached yet', 3600, [], 3599, null],
    ['scenario freeze reached', 3600, [], 3600, 3600],
    ['controller freeze', undefined, [['score.frozen', 1000]], 2000, 1000],
    ['controller unfreeze after the scenario freeze', 3600, [['score.unfrozen', 4000]], 5000, null],
    [
      'freeze twice keeps the first start',
      undefined,
      [
        ['score.frozen', 1000],
        ['score.frozen', 2000],
      ],
      3000,
      1000,
    ],
    ['unfreeze before the scenario freeze does not cancel it', 3600, [['score.unfrozen', 100]], 4000, 3600],
    [
      'refreeze after an unfreeze starts anew',
      undefined,
      [
        ['score.frozen', 1000],
        ['score.unfrozen', 1500],
        ['score.frozen', 2000],
      ],
      3000,
      2000,
    ],
  ])('%s', (_name, planFreeze, toggles, now, since) => {
    const log = new Log();
    for (const [type, at] of toggles) log.add(type as 'score.frozen', null, at, { by: 'white', reason: 'r' });
    expect(freezeAt(planFreeze, log.events, now).frozenSince).toBe(since);
  });

  test('entries at or after the freeze are hidden', () => {
    const entries = [100, 999, 1000, 1500].map(
      (at, i) => ({ seq: i, at, kind: 'hint', points: -1, by: 'w', reason: '' }) as ScoreEntry,
    );
    expect(visibleEntries(entries, { frozenSince: 1000 }).map((e) => e.at)).toEqual([100, 999]);
    expect(visibleEntries(entries, { frozenSince: null })).toHaveLength(4);
  });
});

describe('ranking', () => {
  const row = (team: string, total: number, reachedAt: number | null) => ({
    team,
    name: team,
    total,
    reachedAt,
  });

  test.each<[string, ReturnType<typeof row>[], 'time' | 'none', string[]]>([
    ['more points first', [row('a', 10, 5), row('b', 20, 9)], 'time', ['1 b', '2 a']],
    ['equal points: earlier reach wins', [row('a', 20, 900), row('b', 20, 300)], 'time', ['1 b', '2 a']],
    [
      'equal points and time: shared rank, then by name',
      [row('b', 20, 300), row('a', 20, 300), row('c', 5, 1)],
      'time',
      ['1 a', '1 b', '3 c'],
    ],
    ['never changed reached at the start', [row('a', 0, 100), row('b', 0, null)], 'time', ['1 b', '2 a']],
    ['tieBreak none shares the rank', [row('a', 20, 900), row('b', 20, 300)], 'none', ['1 a', '1 b']],
    [
      'negative totals rank last',
      [row('a', -20, 1), row('b', 0, null), row('c', 15, 2)],
      'time',
      ['1 c', '2 b', '3 a'],
    ],
  ])('%s', (_name, rows, tieBreak, expected) => {
    expect(rankTeams(rows, tieBreak).map((r) => `${r.rank} ${r.team}`)).toEqual(expected);
  });
});

describe('anonymous names', () => {
  test('stable, distinct, independent of input order', () => {
    const teams = Array.from({ length: 30 }, (_, i) => `team${i + 1}`);
    const a = anonymousNames(teams, 7);
    const b = anonymousNames([...teams].reverse(), 7);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(new Set(a.values()).size).toBe(30);
    expect([...a.values()]).toContain('Team AD');
    expect(a.get('team1')).toMatch(/^Team [A-Z]+$/);
  });

  test('another seed gives another assignment', () => {
    const teams = Array.from({ length: 10 }, (_, i) => `team${i + 1}`);
    expect([...anonymousNames(teams, 1)]).not.toEqual([...anonymousNames(teams, 2)]);
  });
});
