import fc from 'fast-check';
import { decayFactor } from '../../src/scoring/decay';
import { sumEntries } from '../../src/scoring/score-entry';
import { scoreboard } from '../../src/scoring/scoreboard';
import type { ScoringEvent } from '../../src/scoring/scoring-events';
import { scoreTeam } from '../../src/scoring/team-score';
import { TeamScorer } from '../../src/scoring/team-scorer';
import { buildPlan, C2_DOMAIN, C2_IP, HASH, Log } from './fixtures';

const plan = buildPlan();
const maxPoints = plan.injects.flatMap((i) => i.expectations).reduce((sum, e) => sum + e.points, 0);

const HOSTS = ['pc-0001', 'PC-0001.corp.example', '10.0.1.101', 'pc-0002', 'dc01', 'c2', 'fs01', 'pc-0009'];
const INDICATORS = [
  'evil-mail[.]example',
  `hxxp://${C2_DOMAIN}/g`,
  C2_IP,
  HASH,
  '198.51.100.9',
  'good.example',
  'hr@evil-mail.example',
];
const ACCOUNTS = ['sato.k', 'CORP\\sato.k', 'suzuki.h', 'nobody'];
const TECHNIQUES = ['T1566', 'T1566.001', 'T1566.002', 'T1071.001', 'T1003'];

type Fact = (log: Log, team: string, at: number) => void;

const report: fc.Arbitrary<Fact> = fc
  .record({
    hosts: fc.subarray(HOSTS),
    indicators: fc.subarray(INDICATORS),
    accounts: fc.subarray(ACCOUNTS),
    techniques: fc.subarray(TECHNIQUES),
    kind: fc.constantFrom('incident', 'escalation', 'situation'),
    to: fc.constantFrom(undefined, 'management', 'vendor'),
  })
  .map(({ kind, to, ...fields }) => (log, team, at) => {
    log.report(team, at, { ...fields, ...(to ? { to } : {}) }, kind);
  });

const action: fc.Arbitrary<Fact> = fc
  .tuple(
    fc.constantFrom('isolate', 'release', 'block', 'disable-account', 'collect'),
    fc.constantFrom(...HOSTS, C2_DOMAIN, 'evil-cdn.example', 'sato.k'),
  )
  .map(([name, target]) => (log, team, at) => {
    log.action(team, at, name, { host: target, domain: target, account: target });
  });

const penaltyFact: fc.Arbitrary<Fact> = fc.oneof(
  fc.constant<Fact>((log, team, at) => log.add('hint.given', team, at, { hint: 'h', by: 'white' })),
  fc.tuple(fc.boolean(), fc.constantFrom('web01', 'fs01')).map(
    ([ok, host]): Fact =>
      (log, team, at) =>
        log.add('service.checked', team, at, { host, service: 'svc', ok }),
  ),
);

const grade: fc.Arbitrary<Fact> = fc.constantFrom('excellent', 'adequate', 'poor').map(
  (level): Fact =>
    (log, team, at) =>
      log.add('expectation.graded', team, at, {
        expectation: 'debrief-quality',
        level,
        grader: 'eve',
        reason: 'r',
      }),
);

const fact = fc.oneof(report, action, penaltyFact, grade);
const timed = fc.array(fc.tuple(fc.integer({ min: 0, max: 12000 }), fact), { maxLength: 30 });
const stepTimes = fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }));

/** A log for a team: its two attack steps and the facts, in time order as the engine would write them. */
function buildLog(team: string, steps: [number, number], facts: [number, Fact][], log = new Log()): Log {
  const sorted = [...facts].sort((a, b) => a[0] - b[0]);
  log.steps(team, steps[0], steps[0] + steps[1]);
  for (const [at, f] of sorted) f(log, team, at);
  return log;
}

const NOW = { now: 20000 };

describe('scoring properties', () => {
  test('without controller adjustments the score never exceeds the sum of expectation points', () => {
    fc.assert(
      fc.property(stepTimes, timed, (steps, facts) => {
        const s = scoreTeam(plan, 'team1', buildLog('team1', steps, facts).events, NOW);
        expect(s.total).toBeLessThanOrEqual(maxPoints);
        for (const x of s.expectations) {
          expect(x.earned).toBeGreaterThanOrEqual(0);
          expect(x.earned).toBeLessThanOrEqual(x.points);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('the breakdown explains every point: entries sum to the total and to each expectation', () => {
    fc.assert(
      fc.property(stepTimes, timed, (steps, facts) => {
        const s = scoreTeam(plan, 'team1', buildLog('team1', steps, facts).events, NOW);
        expect(sumEntries(s.entries)).toBe(s.total);
        for (const x of s.expectations) {
          expect(sumEntries(s.entries.filter((e) => e.expectation === x.id))).toBe(x.earned);
        }
        for (const e of s.entries) {
          expect(Number.isInteger(e.points)).toBe(true);
          expect(e.reason.length).toBeGreaterThan(0);
          expect(e.by.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('the order the log hands events over in does not change the score', () => {
    fc.assert(
      fc.property(stepTimes, timed, fc.integer(), (steps, facts, seed) => {
        const events = buildLog('team1', steps, facts).events;
        const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        expect(scoreTeam(plan, 'team1', shuffled, NOW)).toEqual(scoreTeam(plan, 'team1', events, NOW));
      }),
      { numRuns: 200 },
    );
  });

  test('the live scorer, fed events one by one in any order and with repeats, agrees with the fold', () => {
    fc.assert(
      fc.property(stepTimes, timed, fc.integer(), (steps, facts, seed) => {
        const events = buildLog('team1', steps, facts).events;
        const arrival = fc.sample(fc.shuffledSubarray(events, { minLength: events.length }), {
          seed,
          numRuns: 1,
        })[0]!;
        const live = new TeamScorer(plan, 'team1');
        for (const e of [...arrival, ...arrival.slice(0, 3)]) live.apply(e);
        expect(live.score(NOW.now)).toEqual(scoreTeam(plan, 'team1', events, NOW));
        const inOrder = new TeamScorer(plan, 'team1');
        for (const e of events) inOrder.apply(e);
        expect(inOrder.score(NOW.now)).toEqual(scoreTeam(plan, 'team1', events, NOW));
      }),
      { numRuns: 200 },
    );
  });

  test('another team’s events never change a team’s score', () => {
    fc.assert(
      fc.property(stepTimes, timed, stepTimes, timed, (steps, facts, otherSteps, otherFacts) => {
        const alone = buildLog('team1', steps, facts).events;
        const mixed = buildLog('team2', otherSteps, otherFacts, buildLog('team1', steps, facts)).events;
        expect(scoreTeam(plan, 'team1', mixed, NOW)).toEqual(scoreTeam(plan, 'team1', alone, NOW));
      }),
      { numRuns: 200 },
    );
  });

  test('when a hint is given does not change the total', () => {
    fc.assert(
      fc.property(
        stepTimes,
        timed,
        fc.integer({ min: 0, max: 12000 }),
        fc.integer({ min: 0, max: 12000 }),
        (steps, facts, a, b) => {
          const hint: Fact = (log, team, at) => log.add('hint.given', team, at, { hint: 'h', by: 'white' });
          const early = scoreTeam(plan, 'team1', buildLog('team1', steps, [...facts, [a, hint]]).events, NOW);
          const late = scoreTeam(plan, 'team1', buildLog('team1', steps, [...facts, [b, hint]]).events, NOW);
          expect(early.total).toBe(late.total);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('reporting earlier never earns less', () => {
    fc.assert(
      fc.property(
        stepTimes,
        report,
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 10000 }),
        (steps, r, t1, t2) => {
          const [early, late] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const at = (t: number) => scoreTeam(plan, 'team1', buildLog('team1', steps, [[t, r]]).events, NOW);
          const positive = (t: number) => sumEntries(at(t).entries.filter((e) => e.points > 0));
          // Before its step a report earns nothing, so compare only reports after both steps.
          if (early < steps[0] + steps[1]) return;
          expect(positive(early)).toBeGreaterThanOrEqual(positive(late));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('the notation of a name never changes the score', () => {
    const notations: Record<string, string[]> = {
      'pc-0001': ['PC-0001', 'pc-0001.corp.example', '10.0.1.101', 'Pc-0001.Corp.Example.'],
      'pc-0002': ['PC-0002.corp.example', '10.0.1.102'],
      'evil-mail.example': ['evil-mail[.]example', 'EVIL-MAIL(.)EXAMPLE', 'hxxp://evil-mail[.]example/x'],
      [C2_DOMAIN]: [`hxxps://${C2_DOMAIN.replace(/\./g, '[.]')}:443/gate`, C2_DOMAIN.toUpperCase()],
      [C2_IP]: ['203[.]0[.]113[.]7', '203.0.113.007', `${C2_IP}:8443`],
      '198.51.100.9': ['198[.]51[.]100[.]9'],
      'sato.k': ['CORP\\sato.k', 'sato.k@corp.example', 'SATO.K', 'u0001'],
      'T1566.001': ['t1566.001', 'T1566/001', 'T1566.001 Spearphishing Attachment'],
    };
    const canonical = Object.keys(notations);
    const reportArb = fc.record({
      at: fc.integer({ min: 0, max: 9000 }),
      items: fc.subarray(canonical, { minLength: 1 }),
      picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
    });
    fc.assert(
      fc.property(stepTimes, fc.array(reportArb, { maxLength: 6 }), (steps, reports) => {
        const build = (rewrite: boolean) => {
          const log = new Log().steps('team1', steps[0], steps[0] + steps[1]);
          for (const r of [...reports].sort((a, b) => a.at - b.at)) {
            const names = r.items.map((item, i) => {
              const alts = notations[item]!;
              return rewrite ? alts[r.picks[i % r.picks.length]! % alts.length]! : item;
            });
            const accounts = names.filter((_, i) => r.items[i] === 'sato.k');
            const techniques = names.filter((_, i) => r.items[i] === 'T1566.001');
            const hosts = names.filter((_, i) => r.items[i]!.startsWith('pc-'));
            const indicators = names.filter(
              (n) => !accounts.includes(n) && !techniques.includes(n) && !hosts.includes(n),
            );
            log.report('team1', r.at, { hosts, accounts, techniques, indicators });
          }
          return scoreTeam(plan, 'team1', log.events, NOW);
        };
        const plain = build(false);
        const rewritten = build(true);
        expect(rewritten.entries.map((e) => [e.at, e.kind, e.expectation, e.points])).toEqual(
          plain.entries.map((e) => [e.at, e.kind, e.expectation, e.points]),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('a report that names only true things never lowers the score', () => {
    const truths = ['pc-0001', 'c2', 'evil-mail.example', C2_DOMAIN, C2_IP, HASH];
    fc.assert(
      fc.property(
        stepTimes,
        timed,
        fc.integer({ min: 0, max: 12000 }),
        fc.subarray(truths, { minLength: 1 }),
        (steps, facts, at, names) => {
          const honest: Fact = (log, team, t) =>
            log.report(team, t, { indicators: names, accounts: ['sato.k'] });
          const without = scoreTeam(plan, 'team1', buildLog('team1', steps, facts).events, NOW);
          const withIt = scoreTeam(
            plan,
            'team1',
            buildLog('team1', steps, [...facts, [at, honest]]).events,
            NOW,
          );
          expect(withIt.total).toBeGreaterThanOrEqual(without.total);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('decay never increases with time and stays within [floor, 1] until expiry', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('linear', 'step', 'none') as fc.Arbitrary<'linear' | 'step' | 'none'>,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 20000 }),
        fc.integer({ min: 0, max: 20000 }),
        (shape, floor, window, extra, t1, t2) => {
          const w = { window, expiry: window + extra };
          const [a, b] = t1 <= t2 ? [t1, t2] : [t2, t1];
          const fa = decayFactor(a, w, { shape, floor });
          const fb = decayFactor(b, w, { shape, floor });
          expect(fa).toBeGreaterThanOrEqual(fb - 1e-12);
          if (a <= w.expiry) {
            expect(fa).toBeGreaterThanOrEqual(floor - 1e-12);
            expect(fa).toBeLessThanOrEqual(1);
          } else expect(fa).toBe(0);
        },
      ),
    );
  });

  test('under a freeze the public total is exactly the entries before it', () => {
    fc.assert(
      fc.property(stepTimes, timed, fc.integer({ min: 0, max: 12000 }), (steps, facts, freeze) => {
        const frozen = buildPlan({ freeze });
        const s = scoreTeam(frozen, 'team1', buildLog('team1', steps, facts).events, NOW);
        const [pub] = scoreboard(frozen, [s], { audience: 'public' });
        const [staff] = scoreboard(frozen, [s], { audience: 'staff' });
        expect(pub!.total).toBe(sumEntries(s.entries.filter((e) => e.at < freeze)));
        expect(staff!.total).toBe(s.total);
      }),
      { numRuns: 200 },
    );
  });

  test('ranking: a higher total always ranks strictly higher', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(stepTimes, timed), { minLength: 2, maxLength: 5 }), (teams) => {
        const ids = teams.map((_, i) => `team${i + 1}`);
        const big = buildPlan({}, teams.length);
        let log = new Log();
        teams.forEach(([steps, facts], i) => {
          log = buildLog(ids[i]!, steps, facts, log);
        });
        const events: ScoringEvent[] = log.events;
        const rows = scoreboard(
          big,
          ids.map((t) => scoreTeam(big, t, events, NOW)),
          { audience: 'staff' },
        );
        for (const a of rows) {
          for (const b of rows) {
            if (a.total > b.total) expect(a.rank).toBeLessThan(b.rank);
            if (a.total === b.total && a.reachedAt === b.reachedAt) expect(a.rank).toBe(b.rank);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
