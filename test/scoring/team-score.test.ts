import { scoreboard } from '../../src/scoring/scoreboard';
import { scoreTeam } from '../../src/scoring/team-score';
import { teamView } from '../../src/scoring/team-view';
import { buildPlan, C2_DOMAIN, expectation, Log } from './fixtures';

/** A good team's day, with one of every kind of entry. */
function goodDay(log = new Log()): Log {
  return log
    .steps('team1')
    .report('team1', 900, { hosts: ['PC-0001.corp.example'], indicators: ['evil-mail[.]example'] })
    .action('team1', 1500, 'isolate', { host: 'pc-0001' })
    .report('team1', 1600, {
      accounts: ['CORP\\sato.k'],
      indicators: [`hxxp://update.evil-cdn[.]example/gate`, '198.51.100.9'],
    })
    .action('team1', 4500, 'proxy.block', { domain: 'evil-cdn.example' })
    .add('hint.given', 'team1', 5000, { hint: 'look at the proxy log', inject: 'beacon', by: 'white' })
    .report('team1', 5400, { narrative: 'C2 found and blocked', to: 'management' }, 'escalation', 'carol')
    .add('service.checked', 'team1', 6000, { host: 'web01', service: 'http', ok: false })
    .add('service.checked', 'team1', 6060, { host: 'web01', service: 'http', ok: false })
    .add('service.checked', 'team1', 6120, { host: 'web01', service: 'http', ok: false })
    .action('team1', 7000, 'isolate', { host: 'dc01' })
    .add('expectation.graded', 'team1', 7200, {
      expectation: 'debrief-quality',
      level: 'Excellent',
      grader: 'eve',
      reason: 'clear timeline',
    });
}

describe('the breakdown of a full day', () => {
  const score = scoreTeam(buildPlan(), 'team1', goodDay().events);

  test('every entry, exactly', () => {
    expect(score.entries.map((e) => [e.at, e.kind, e.expectation ?? '-', e.points, e.by])).toEqual([
      [900, 'expectation', 'detect-phish', 67, 'alice'],
      [1500, 'expectation', 'isolate-pc', 80, 'bob'],
      [1600, 'expectation', 'detect-phish', 33, 'alice'],
      [1600, 'expectation', 'detect-c2', 50, 'alice'],
      [1600, 'false-positive', '-', -20, 'alice'],
      [4500, 'expectation', 'block-c2', 34, 'bob'],
      [5000, 'hint', '-', -25, 'white'],
      [5400, 'expectation', 'escalate', 23, 'carol'],
      [6120, 'outage', '-', -5, 'service check'],
      [7000, 'destructive', '-', -100, 'bob'],
      [7200, 'manual-grade', 'debrief-quality', 60, 'eve'],
    ]);
    expect(score.total).toBe(197);
    expect(score.warnings).toEqual([]);
  });

  test('reasons say why, in the team’s words', () => {
    const reasons = score.entries.map((e) => e.reason);
    expect(reasons[0]).toBe(
      'detection "Identify the phishing victim": named host:pc-0001, indicator:evil-mail.example (2 of 3 required), 0h05m after the attack step → 67% of 100 × 1.00 (decay)',
    );
    expect(reasons[4]).toBe(
      'false positive: the incident report names "198.51.100.9", which no attack step touched',
    );
    expect(reasons[5]).toBe(
      'containment "block-c2": proxy.block (block update.evil-cdn.example), 0h55m after the attack step → 100% of 40 × 0.86 (decay)',
    );
    expect(reasons[9]).toBe('destructive action: isolated critical host dc01');
    expect(reasons[10]).toBe('manual "debrief-quality": rubric level "excellent" — clear timeline');
  });

  test('expectations and time to detect / respond', () => {
    expect(score.expectations.map((x) => [x.id, x.status, x.earned])).toEqual([
      ['detect-phish', 'met', 100],
      ['detect-c2', 'met', 50],
      ['isolate-pc', 'met', 80],
      ['block-c2', 'met', 34],
      ['escalate', 'met', 23],
      ['debrief-quality', 'met', 60],
    ]);
    expect(score.steps).toEqual([
      { inject: 'phish', technique: 'T1566.001', at: 600, detectedAt: 900, timeToDetect: 300 },
      {
        inject: 'beacon',
        technique: 'T1071.001',
        at: 1200,
        detectedAt: 1600,
        timeToDetect: 400,
        respondedAt: 1500,
        timeToRespond: 300,
      },
    ]);
    expect(score.reachedAt).toBe(7200);
  });
});

describe('a team that does nothing', () => {
  const plan = buildPlan();
  const log = new Log().steps('team2');

  test('scores zero, and its expectations fail once expired', () => {
    const early = scoreTeam(plan, 'team2', log.events);
    expect(early.total).toBe(0);
    expect(early.entries).toEqual([]);
    expect(early.expectations.map((x) => x.status)).toEqual([
      'open',
      'open',
      'open',
      'open',
      'open',
      'waiting',
    ]);
    const late = scoreTeam(plan, 'team2', log.events, { now: 1200 + 7201 });
    expect(late.expectations.map((x) => x.status)).toEqual([
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
      'waiting',
    ]);
    expect(late.reachedAt).toBeNull();
  });

  test('is not touched by another team’s events', () => {
    const both = goodDay(new Log().steps('team2'));
    expect(scoreTeam(plan, 'team2', both.events).total).toBe(0);
    expect(scoreTeam(plan, 'team1', both.events).total).toBe(197);
  });
});

describe('when facts earn nothing', () => {
  const plan = buildPlan();
  test.each<[string, (l: Log) => Log, number]>([
    [
      'a report before the attack step',
      (l) =>
        l
          .report('team1', 500, {
            hosts: ['pc-0001'],
            indicators: ['evil-mail.example'],
            techniques: ['T1566'],
          })
          .steps('team1'),
      0,
    ],
    [
      'a report after expiry',
      (l) => l.steps('team1').report('team1', 1200 + 7201, { indicators: [C2_DOMAIN] }),
      0,
    ],
    [
      'an incident report to management where an escalation is expected',
      (l) => l.steps('team1').report('team1', 1300, { to: 'management' }, 'incident'),
      0,
    ],
    [
      'an escalation to the wrong recipient',
      (l) => l.steps('team1').report('team1', 1300, { to: 'vendor' }, 'escalation'),
      0,
    ],
    ['an escalation without recipient', (l) => l.steps('team1').report('team1', 1300, {}, 'escalation'), 0],
    [
      'isolating the wrong host',
      (l) => l.steps('team1').action('team1', 1300, 'isolate', { host: 'pc-0002' }),
      0,
    ],
    [
      'blocking a subdomain only',
      (l) => l.steps('team1').action('team1', 1300, 'block', { domain: `x.${C2_DOMAIN}` }),
      0,
    ],
    [
      'the same item named twice',
      (l) =>
        l
          .steps('team1')
          .report('team1', 700, { hosts: ['pc-0001'] })
          .report('team1', 800, { hosts: ['pc-0001.corp.example'] }),
      33,
    ],
    [
      'the same false positive in two reports',
      (l) =>
        l
          .steps('team1')
          .report('team1', 700, { hosts: ['pc-0003'] })
          .report('team1', 800, { hosts: ['pc-0003'] }),
      -20,
    ],
  ])('%s', (_name, build, total) => {
    expect(scoreTeam(plan, 'team1', build(new Log()).events).total).toBe(total);
  });

  test('a report before the attack step earns nothing, the same report after it earns in full', () => {
    const fields = { hosts: ['pc-0001'], accounts: ['sato.k'], techniques: ['T1566'] };
    const log = new Log().report('team1', 500, fields).steps('team1').report('team1', 700, fields);
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.at, e.points])).toEqual([[700, 100]]);
  });

  test('after expiry an expectation fails and the late report leaves no entry', () => {
    const log = new Log().steps('team1').report('team1', 1200 + 7201, { indicators: [C2_DOMAIN] });
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries).toEqual([]);
    expect(s.expectations.find((x) => x.id === 'detect-c2')!.status).toBe('failed');
  });

  test('a host only the attack step knows (outside the plan) is not a false positive', () => {
    const log = new Log()
      .add('attack.step', 'team1', 100, {
        trackable: 't',
        inject: 'phish',
        occurrence: 'o1',
        tactic: 'initial-access',
        technique: 'T1566.001',
        artifacts: { hosts: ['vendor-laptop'], accounts: [], ips: [], domains: [], hashes: [] },
      })
      .report('team1', 200, { hosts: ['VENDOR-LAPTOP.vendor.example', 'other-laptop'] });
    expect(scoreTeam(plan, 'team1', log.events).entries.map((e) => e.reason)).toEqual([
      'false positive: the incident report names "other-laptop", which no attack step touched',
    ]);
  });

  test('at exactly expiry the floor is still earned', () => {
    const log = new Log().steps('team1').report('team1', 1200 + 7200, { indicators: [C2_DOMAIN] });
    expect(scoreTeam(plan, 'team1', log.events).total).toBe(25);
  });
});

describe('grades, overrides and adjustments', () => {
  const plan = buildPlan();
  const graded = (level: string, at: number, grader = 'eve', reason = 'r') =>
    ['expectation.graded', 'team1', at, { expectation: 'debrief-quality', level, grader, reason }] as const;

  test('a regrade replaces the earlier grade with an entry for the difference', () => {
    const log = new Log()
      .add(...graded('adequate', 100))
      .add(...graded('excellent', 200, 'frank', 'second look'));
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.points, e.by])).toEqual([
      [30, 'eve'],
      [30, 'frank'],
    ]);
    expect(s.expectations.find((x) => x.id === 'debrief-quality')!.grade).toEqual({
      level: 'excellent',
      grader: 'frank',
      reason: 'second look',
    });
  });

  test.each([
    [
      'an unknown level',
      graded('superb', 100),
      'unknown rubric level "superb" (levels: excellent, adequate, poor)',
    ],
    ['no reason', graded('poor', 100, 'eve', ' '), 'a grade needs a grader and a reason'],
    ['no grader', graded('poor', 100, ''), 'a grade needs a grader and a reason'],
  ] as const)('a grade with %s is a warning, not points', (_name, event, message) => {
    const s = scoreTeam(plan, 'team1', new Log().add(...event).events);
    expect(s.total).toBe(0);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toContain(message);
  });

  test('grading an automatic expectation is refused', () => {
    const log = new Log().add('expectation.graded', 'team1', 1, {
      expectation: 'detect-c2',
      points: 50,
      grader: 'eve',
      reason: 'r',
    });
    expect(scoreTeam(plan, 'team1', log.events).warnings[0]).toContain('use expectation.overridden');
  });

  test('explicit grade points are capped at the expectation', () => {
    const log = new Log().add('expectation.graded', 'team1', 1, {
      expectation: 'debrief-quality',
      points: 500,
      grader: 'eve',
      reason: 'r',
    });
    expect(scoreTeam(plan, 'team1', log.events).total).toBe(60);
  });

  test('an override sets the points and stops automatic scoring of that expectation', () => {
    const log = new Log()
      .steps('team1')
      .report('team1', 700, { hosts: ['pc-0001'] })
      .add('expectation.overridden', 'team1', 800, {
        expectation: 'detect-phish',
        points: 90,
        by: 'white',
        reason: 'named the victim by phone',
      })
      .report('team1', 900, { accounts: ['sato.k'], indicators: ['evil-mail.example'] });
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.kind, e.points])).toEqual([
      ['expectation', 33],
      ['override', 57],
    ]);
    expect(s.entries[1]!.reason).toBe(
      'controller set "Identify the phishing victim" to 90 of 100 — named the victim by phone',
    );
    expect(s.expectations[0]!.override).toEqual({ by: 'white', reason: 'named the victim by phone' });
    expect(s.expectations[0]!.status).toBe('partial');
  });

  test('after an override, grades no longer change the expectation', () => {
    const log = new Log()
      .add('expectation.overridden', 'team1', 100, {
        expectation: 'debrief-quality',
        points: 10,
        by: 'white',
        reason: 'walked out',
      })
      .add(...graded('excellent', 200));
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.kind, e.points])).toEqual([['override', 10]]);
    expect(s.total).toBe(10);
  });

  test('adjustments need a reason and are kept with who made them', () => {
    const log = new Log()
      .add('score.adjusted', 'team1', 10, { delta: 15, by: 'white', reason: 'range fault cost them time' })
      .add('score.adjusted', 'team1', 20, { delta: 15, by: 'white', reason: '' });
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries).toEqual([
      {
        seq: 1,
        at: 10,
        kind: 'adjustment',
        points: 15,
        by: 'white',
        reason: 'controller adjustment — range fault cost them time',
      },
    ]);
    expect(s.warnings).toHaveLength(1);
  });

  test('a probe verifies containment', () => {
    const log = new Log()
      .steps('team1')
      .add('containment.verified', 'team1', 1300, {
        expectation: 'isolate-pc',
        ok: false,
        detail: 'still beaconing',
      })
      .add('containment.verified', 'team1', 1400, {
        expectation: 'isolate-pc',
        ok: true,
        detail: 'no beacons for 5 min',
      })
      .add('containment.verified', 'team1', 1500, { expectation: 'nope', ok: true, detail: '' });
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.at, e.points, e.by])).toEqual([[1400, 80, 'probe']]);
    expect(s.warnings).toEqual(['containment.verified #5: unknown expectation nope']);
  });
});

describe('partial credit named one item at a time', () => {
  test.each([
    [100, [33, 34, 33]],
    [5, [2, 1, 2]],
    [1, [0, 1, 0]],
  ])('an expectation of %d points pays %j and never more than its points', (points, entries) => {
    const plan = buildPlan();
    plan.injects[0]!.expectations[0]!.points = points;
    const log = new Log()
      .steps('team1')
      .report('team1', 700, { hosts: ['pc-0001'] })
      .report('team1', 800, { accounts: ['sato.k'] })
      .report('team1', 900, { techniques: ['T1566.001'] });
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => e.points)).toEqual(entries);
    expect(s.total).toBe(points);
    expect(s.expectations[0]!.status).toBe('met');
  });

  test('naming more than required adds nothing', () => {
    const log = new Log()
      .steps('team1')
      .report('team1', 700, { hosts: ['pc-0001'], accounts: ['sato.k'], techniques: ['T1566'] })
      .report('team1', 800, { indicators: ['evil-mail.example'] });
    const s = scoreTeam(buildPlan(), 'team1', log.events);
    expect(s.entries.map((e) => e.points)).toEqual([100]);
  });
});

describe('when an expectation’s clock starts', () => {
  test('an inject without an ATT&CK step starts at its firing; the reason says so', () => {
    const plan = buildPlan();
    plan.injects[2]!.expectations.push(
      expectation({
        id: 'sitrep',
        inject: 'debrief',
        type: 'report',
        points: 20,
        report: { kind: 'situation' },
      }),
    );
    const fired = {
      inject: 'debrief',
      occurrence: 'm1',
      scheduledAt: 100,
      scheduledWall: 0,
      latenessMs: 0,
      trackable: 't',
      manual: true,
    };
    const log = new Log()
      .report('team1', 50, {}, 'situation')
      .add('inject.fired', 'team1', 100, fired)
      .report('team1', 400, {}, 'situation');
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.at, e.points, e.reason])).toEqual([
      [
        400,
        20,
        'report "sitrep": situation report submitted, 0h05m after the inject → 100% of 20 × 1.00 (decay)',
      ],
    ]);
  });

  test('an attack inject that fired but whose attack step never ran does not start', () => {
    const fired = {
      inject: 'beacon',
      occurrence: 'o1',
      scheduledAt: 1200,
      scheduledWall: 0,
      latenessMs: 0,
      trackable: 't',
      manual: false,
    };
    const log = new Log()
      .add('inject.fired', 'team1', 1200, fired)
      .report('team1', 1300, { indicators: [C2_DOMAIN] });
    const s = scoreTeam(buildPlan(), 'team1', log.events);
    expect(s.total).toBe(0);
    expect(s.expectations.find((x) => x.id === 'detect-c2')!.status).toBe('waiting');
  });

  test('a detection without match takes any one thing the attack step touched', () => {
    const plan = buildPlan();
    delete plan.injects[1]!.expectations[0]!.match;
    const log = new Log().steps('team1').report('team1', 1300, { indicators: ['203[.]0[.]113[.]7'] });
    const s = scoreTeam(plan, 'team1', log.events);
    expect(s.entries.map((e) => [e.expectation, e.points])).toEqual([['detect-c2', 50]]);
    expect(s.expectations.find((x) => x.id === 'detect-c2')).toMatchObject({
      items: 5,
      require: 1,
      status: 'met',
    });
  });
});

describe('decay shapes through the fold', () => {
  test.each([
    ['linear', 0.5, 1200 + 1800, 50],
    ['linear', 0.5, 1200 + 4500, 38],
    ['step', 0.25, 1200 + 1801, 13],
    ['none', 0, 1200 + 7200, 50],
    ['linear', 0, 1200 + 7200, 0],
  ] as const)('%s floor %d, C2 named at %d → %d of 50', (shape, floor, at, points) => {
    const plan = buildPlan({ decay: { shape, floor } });
    const log = new Log().steps('team1').report('team1', at, { indicators: [C2_DOMAIN] });
    expect(scoreTeam(plan, 'team1', log.events).total).toBe(points);
  });
});

describe('scoreboard', () => {
  test('public board under freeze shows the score at the freeze; staff sees it live', () => {
    const plan = buildPlan({ freeze: 5000 });
    const log = goodDay(
      new Log().steps('team2').report('team2', 700, {
        hosts: ['pc-0001'],
        indicators: ['evil-mail.example'],
        techniques: ['T1566'],
      }),
    );
    const scores = ['team1', 'team2'].map((t) => scoreTeam(plan, t, log.events));
    const staff = scoreboard(plan, scores, { audience: 'staff' });
    const pub = scoreboard(plan, scores, { audience: 'public' });
    expect(staff.map((r) => [r.rank, r.team, r.total, r.frozen])).toEqual([
      [1, 'team1', 197, false],
      [2, 'team2', 100, false],
    ]);
    expect(pub.map((r) => [r.rank, r.team, r.total, r.frozen, r.expectationsMet])).toEqual([
      [1, 'team1', 244, true, 4],
      [2, 'team2', 100, true, 1],
    ]);
    expect(pub[0]!.phase).toEqual({ id: 'c2', index: 2, of: 3 });
    expect(pub[0]!.meanTimeToDetect).toBe(350);
    expect(pub[0]!.meanTimeToRespond).toBe(300);
  });

  test('after unfreezing the public board catches up', () => {
    const plan = buildPlan({ freeze: 5000 });
    const log = goodDay().add('score.unfrozen', null, 7300, { by: 'white', reason: 'results' });
    const pub = scoreboard(plan, [scoreTeam(plan, 'team1', log.events)], { audience: 'public' });
    expect(pub[0]!.total).toBe(197);
  });

  test('equal scores: the team that got there first ranks higher', () => {
    const plan = buildPlan();
    const log = new Log()
      .steps('team1')
      .steps('team2')
      .report('team2', 700, { indicators: ['evil-mail.example'] })
      .report('team1', 800, { indicators: ['evil-mail.example'] });
    const rows = scoreboard(
      plan,
      ['team1', 'team2'].map((t) => scoreTeam(plan, t, log.events)),
      { audience: 'staff' },
    );
    expect(rows.map((r) => [r.rank, r.team, r.total, r.reachedAt])).toEqual([
      [1, 'team2', 33, 700],
      [2, 'team1', 33, 800],
    ]);
  });

  test('anonymised names on the public board only', () => {
    const plan = buildPlan({ anonymise: true });
    const log = new Log().add('team.joined', 'team1', 0, { name: 'Kasumigaseki Blue', members: [] });
    const scores = ['team1', 'team2'].map((t) => scoreTeam(plan, t, log.events));
    expect(
      scoreboard(plan, scores, { audience: 'staff' })
        .map((r) => r.name)
        .sort(),
    ).toEqual(['Kasumigaseki Blue', 'team2']);
    const pub = scoreboard(plan, scores, { audience: 'public' });
    expect(pub.map((r) => r.name).sort()).toEqual(['Team A', 'Team B']);
    expect(pub.every((r) => r.team === r.name)).toBe(true);
    expect(scoreboard(plan, scores, { audience: 'public', anonymise: false }).map((r) => r.name)).toContain(
      'Kasumigaseki Blue',
    );
  });
});

describe('what a team sees of its own score', () => {
  const log = goodDay();

  test('under a freeze: the total and lines as of the freeze; staff see everything', () => {
    const plan = buildPlan({ freeze: 5000 });
    const s = scoreTeam(plan, 'team1', log.events);
    const own = teamView(plan, s, 'team');
    expect(own.total).toBe(244);
    expect(own.entries!.every((e) => e.at < 5000)).toBe(true);
    expect(own.frozen).toBe(true);
    expect(own.warnings).toBeUndefined();
    expect(teamView(plan, s, 'staff')).toMatchObject({ total: 197, frozen: false });
  });

  test('showBreakdownToTeams: false shows the total only', () => {
    const plan = buildPlan({ showBreakdownToTeams: false });
    const own = teamView(plan, scoreTeam(plan, 'team1', log.events), 'team');
    expect(own).toEqual({ team: 'team1', name: 'team1', total: 197, frozen: false });
  });
});
