import { IsolationTracker, massIsolationThreshold } from '../../src/scoring/destructive-actions';
import { OutageTracker } from '../../src/scoring/outage';
import { responseAction } from '../../src/scoring/response-action';
import { teamDirectory } from '../../src/scoring/team-directory';
import { buildPlan } from './fixtures';

describe('outage: a penalty per interval after N consecutive failures', () => {
  const rule = { points: 5, interval: 60, afterFailures: 3 };
  // Each case: checks as [time, ok] (cause team) → times at which a charge happens.
  test.each<[string, [number, boolean][], number[]]>([
    [
      'two failures are not an outage',
      [
        [0, false],
        [60, false],
        [120, true],
      ],
      [],
    ],
    [
      'the third failure in a row charges',
      [
        [0, false],
        [60, false],
        [120, false],
      ],
      [120],
    ],
    [
      'every further interval charges again',
      [
        [0, false],
        [60, false],
        [120, false],
        [180, false],
        [240, false],
      ],
      [120, 180, 240],
    ],
    [
      'checks faster than the interval charge once per interval',
      [
        [0, false],
        [20, false],
        [40, false],
        [60, false],
        [80, false],
        [100, false],
      ],
      [40, 100],
    ],
    [
      'a pass resets the streak',
      [
        [0, false],
        [60, false],
        [120, true],
        [180, false],
        [240, false],
      ],
      [],
    ],
    [
      'a pass then a new full streak charges again',
      [
        [0, false],
        [10, false],
        [20, false],
        [30, true],
        [40, false],
        [50, false],
        [60, false],
      ],
      [20, 60],
    ],
  ])('%s', (_name, checks, charged) => {
    const t = new OutageTracker(rule);
    const at = checks
      .filter(([time, ok]) => t.check('web01', 'http', ok, 'team', time) !== undefined)
      .map(([time]) => time);
    expect(at).toEqual(charged);
  });

  test('range faults neither charge nor break a streak', () => {
    const t = new OutageTracker(rule);
    expect(t.check('web01', 'http', false, undefined, 0)).toBeUndefined();
    expect(t.check('web01', 'http', false, 'range', 30)).toBeUndefined();
    expect(t.check('web01', 'http', true, 'range', 40)).toBeUndefined();
    expect(t.check('web01', 'http', false, 'team', 60)).toBeUndefined();
    expect(t.check('web01', 'http', false, 'team', 120)).toEqual({
      points: 5,
      reason: 'http on web01 down: 3 failed checks in a row (penalty after 3, at most once per 60s)',
    });
  });

  test('services are tracked separately', () => {
    const t = new OutageTracker({ points: 5, interval: 60, afterFailures: 2 });
    expect(t.check('web01', 'http', false, 'team', 0)).toBeUndefined();
    expect(t.check('fs01', 'smb', false, 'team', 0)).toBeUndefined();
    expect(t.check('web01', 'http', false, 'team', 60)?.points).toBe(5);
    expect(t.check('fs01', 'smb', true, 'team', 60)).toBeUndefined();
  });
});

describe('response actions are read tolerantly', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['isolate', { host: 'pc-0001' }, 'isolate'],
    ['host.isolate', { host: 'pc-0001' }, 'isolate'],
    ['isolate-host', { target: 'pc-0001' }, 'isolate'],
    ['release', { host: 'pc-0001' }, 'release'],
    ['host.unisolate', { host: 'pc-0001' }, 'release'],
    ['block', { domain: 'evil.example' }, 'block'],
    ['proxy.block-domain', { domain: 'evil.example' }, 'block'],
    ['firewall.deny', { ip: '203.0.113.7' }, 'block'],
    ['disable-account', { account: 'sato.k' }, 'disable-account'],
    ['account.lock', { user: 'sato.k' }, 'disable-account'],
    ['kill-process', { host: 'pc-0001', name: 'evil.exe' }, 'kill-process'],
    ['collect-evidence', { host: 'pc-0001' }, 'other'],
    ['block', {}, 'other'],
  ])('%s %j → %s', (action, detail, kind) => {
    expect(responseAction(action, detail).kind).toBe(kind);
  });
});

describe('destructive actions', () => {
  const plan = buildPlan();
  const dir = teamDirectory(plan, 'team1');
  const rule = { share: 0.5, minHosts: 5 };

  test('threshold: half the hosts, never fewer than the minimum', () => {
    expect(massIsolationThreshold(rule, 12)).toBe(6);
    expect(massIsolationThreshold(rule, 4)).toBe(5);
    expect(massIsolationThreshold(rule, 0)).toBe(5);
  });

  test('isolating a critical host, in any notation, each time', () => {
    const t = new IsolationTracker(['dc01'], dir, rule);
    expect(t.apply(responseAction('isolate', { host: 'DC01.corp.example' }))).toEqual([
      'isolated critical host dc01',
    ]);
    expect(t.apply(responseAction('isolate', { host: 'pc-0001' }))).toEqual([]);
    expect(t.apply(responseAction('release', { host: 'dc01' }))).toEqual([]);
    expect(t.apply(responseAction('isolate', { host: '10.0.1.10' }))).toEqual([
      'isolated critical host dc01',
    ]);
  });

  test('isolating everything at once', () => {
    const t = new IsolationTracker([], dir, rule);
    expect(t.apply(responseAction('isolate', { all: true }))).toEqual(['isolated every host of the range']);
  });

  test('mass isolation charges once per crossing of the threshold', () => {
    const t = new IsolationTracker([], dir, rule); // 12 hosts → threshold 6
    const isolate = (h: string) => t.apply(responseAction('isolate', { host: h }));
    for (let i = 1; i <= 5; i++) expect(isolate(`pc-000${i}`)).toEqual([]);
    expect(isolate('pc-0005')).toEqual([]); // the same host again is not a sixth host
    expect(isolate('pc-0006')).toEqual(['mass isolation: 6 hosts isolated at once (threshold 6)']);
    expect(isolate('pc-0007')).toEqual([]);
    t.apply(responseAction('release', { host: 'pc-0007' }));
    expect(isolate('pc-0007')).toEqual([]); // still at or above: not re-armed
    t.apply(responseAction('release', { host: 'pc-0007' }));
    t.apply(responseAction('release', { host: 'pc-0006' }));
    expect(isolate('pc-0006')).toEqual(['mass isolation: 6 hosts isolated at once (threshold 6)']);
  });
});
