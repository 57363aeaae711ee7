/**
 * Range health facts on the after-action timeline: an engine outage is on every team's timeline,
 * a live host going down and being restored only on its own team's.
 */
import { rangeTimeline } from '../../src/review/range-timeline';
import type { ScoringEvent } from '../../src/scoring/scoring-events';

let seq = 0;
const fact = (type: string, team: string | null, scenarioTime: number, payload: object) =>
  ({ type, team, payload, session: 's', seq: ++seq, scenarioTime, wallTime: 0 }) as unknown as ScoringEvent;

const events = [
  fact('range.engine.lost', null, 100, { where: 'unix', since: 1, detail: 'connect ECONNREFUSED' }),
  fact('range.engine.restored', null, 130, { downMs: 29_400, attempts: 6 }),
  fact('range.reconciled', null, 135, { restarted: 3, recreated: 0, created: 0, failed: [] }),
  fact('range.host.state', 't01', 200, {
    host: 'proxy',
    state: 'unhealthy',
    detail: 'squid is not answering',
  }),
  fact('range.host.restored', 't01', 230, { host: 'proxy', by: 'controller', ok: true }),
  fact('range.host.state', 't01', 231, { host: 'proxy', state: 'running' }),
  fact('range.host.disk-limit', 't02', 300, { host: 'ws01' }),
  fact('inject.fired', 't01', 50, { inject: 'x' }),
];

test('engine outages reach every team; host breakages only their own team', () => {
  const t01 = rangeTimeline('t01', events);
  expect(t01.map((i) => [i.at, i.kind, i.title])).toEqual([
    [100, 'outage', 'Range engine unreachable: connect ECONNREFUSED'],
    [130, 'restored', 'Range engine back after 29.4 s'],
    [135, 'restored', 'Range reconciled: 3 restarted, 0 recreated, 0 created, 0 failed'],
    [200, 'outage', 'Live host proxy unhealthy: squid is not answering'],
    [230, 'restored', 'Live host proxy restored by controller'],
    [231, 'restored', 'Live host proxy running again'],
  ]);
  const t02 = rangeTimeline('t02', events);
  expect(t02.map((i) => i.title)).toEqual([
    'Range engine unreachable: connect ECONNREFUSED',
    'Range engine back after 29.4 s',
    'Range reconciled: 3 restarted, 0 recreated, 0 created, 0 failed',
    'Live host ws01 stopped at its disk limit',
  ]);
  expect(t02.every((i) => i.team === 't02')).toBe(true);
});
