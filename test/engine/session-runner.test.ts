import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectPlan, Plan } from '../../src/compiler/plan';
import { FakeTime } from '../../src/engine/clock/time-source';
import { isEvent, type StoredEvent } from '../../src/engine/events/event-types';
import { SandboxHostDriver } from '../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../src/engine/session/session-runner';
import { EventStore } from '../../src/engine/store/event-store';
import { smallPlan, storyInjects } from './fixtures';
import { tempDir } from './support/temp-dir';

const EPOCH = Date.UTC(2026, 10, 26, 1, 0, 0); // 10:00 in Tokyo

function liveInjects(): InjectPlan[] {
  const base = storyInjects()[0]!;
  const mk = (id: string, extra: Partial<InjectPlan>): InjectPlan => ({
    ...base,
    id,
    title: id,
    attack: undefined,
    expectations: [],
    indicators: { hosts: [], users: [], domains: [], ips: [], hashes: [] },
    ...extra,
  });
  return [
    mk('drop-file', {
      trigger: { kind: 'offset', at: 60 },
      attack: { tactic: 'execution', technique: 'T1105' },
      action: { type: 'file', host: 'web01', path: '/tmp/payload.sh', content: 'echo pwned\n', mode: '0755' },
      cleanup: [
        {
          type: 'exec',
          host: 'web01',
          command: 'rm -f tmp/payload.sh && echo one >> cleanup.log',
          user: 'root',
          background: false,
          timeout: 5,
        },
      ],
    }),
    mk('run-cmd', {
      trigger: { kind: 'offset', at: 120 },
      action: {
        type: 'exec',
        host: 'web01',
        command: 'cat tmp/payload.sh > out.txt',
        user: 'root',
        background: false,
        timeout: 5,
      },
      cleanup: [
        {
          type: 'exec',
          host: 'web01',
          command: 'rm -f out.txt && echo two >> cleanup.log',
          user: 'root',
          background: false,
          timeout: 5,
        },
      ],
    }),
    mk('beacon', {
      trigger: { kind: 'offset', at: 180 },
      action: { type: 'beacon', host: 'web01', c2: 'c2', domain: 'c2.evil.example', interval: 1, path: '/b' },
    }),
    mk('phish', {
      trigger: { kind: 'offset', at: 240 },
      action: {
        type: 'mail',
        from: 'billing@evil.example',
        fromName: '請求書センター',
        to: 'user0001@corp.example',
        subject: 'Invoice',
        body: 'See attached',
        headers: { 'X-Mailer': 'cyrange' },
        attachments: [{ name: 'invoice.doc', contentType: 'application/msword', content: 'MACRO' }],
      },
    }),
    mk('fail-cmd', {
      trigger: { kind: 'offset', at: 300 },
      action: { type: 'exec', host: 'web01', command: 'exit 3', user: 'root', background: false, timeout: 5 },
    }),
  ];
}

function livePlan(): Plan {
  const plan = smallPlan({ injects: liveInjects() });
  for (const t of plan.teams) for (const h of t.hosts) if (h.name === 'web01') h.fidelity = 'live';
  return plan;
}

describe('SessionRunner', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;
  let time: FakeTime;
  let driver: SandboxHostDriver;
  beforeEach(() => {
    dir = tempDir('runner');
    store = new EventStore(join(dir.path, 'events.db'));
    time = new FakeTime(EPOCH);
    driver = new SandboxHostDriver(join(dir.path, 'sandbox'));
  });
  afterEach(async () => {
    await driver.close();
    store.close();
    dir.remove();
  });

  const open = (session = 's1', plan: Plan = smallPlan(), events: StoredEvent[] = []) => {
    if (!store.sessionPlan(session))
      SessionRunner.create(store, { id: session, plan, scenarioEpochMs: EPOCH }, time);
    return new SessionRunner({ store, session, driver, time, onEvent: (e) => events.push(e) });
  };

  it('fires the storyline on time for every team, with messages, telemetry and ground truth', () => {
    const events: StoredEvent[] = [];
    const r = open('s1', smallPlan(), events);
    r.start();
    time.advance(599_000);
    expect(r.tick().fired).toBe(0);
    time.advance(1000);
    expect(r.tick().fired).toBe(2); // phish-mail for both teams
    const fired = events.filter((e) => isEvent(e, 'inject.fired'));
    expect(fired.map((e) => [e.team, e.payload.inject, e.payload.latenessMs])).toEqual([
      ['team1', 'phish-mail', 0],
      ['team2', 'phish-mail', 0],
    ]);
    const msg = events.find((e) => isEvent(e, 'message.delivered') && e.team === 'team1');
    expect(msg && isEvent(msg, 'message.delivered') && msg.payload.attachments[0]!.name).toBe('invoice.eml');
    const step = events.find((e) => isEvent(e, 'attack.step') && e.team === 'team2');
    expect(step && isEvent(step, 'attack.step') && step.payload).toMatchObject({
      technique: 'T1566.001',
      artifacts: {
        hosts: ['pc-0001'],
        accounts: ['user0001'],
        ips: ['10.1.16.11'],
        domains: ['evil.example'],
        hashes: ['abc123'],
      },
    });
    // c2-traffic at T+1200 fires 37 ms late; its telemetry lands in the store.
    time.advance(600_037);
    r.tick();
    const c2 = events.find((e) => isEvent(e, 'inject.fired') && e.payload.inject === 'c2-traffic');
    expect(c2 && isEvent(c2, 'inject.fired') && c2.payload.latenessMs).toBe(37);
    const tel = events.filter((e) => isEvent(e, 'telemetry.injected'));
    expect(tel.map((e) => isEvent(e, 'telemetry.injected') && e.payload.count)).toEqual([10, 3, 10, 3]); // c2: 3×(dns+conn+proxy)+1 process; beacon: dns+conn+proxy
  });

  it('pauses, resumes and changes speed without firing early or late', () => {
    const r = open();
    r.start(10); // 10 scenario seconds per wall second
    time.advance(30_000); // T+300
    r.pause();
    time.advance(3_600_000); // an hour of pause: nothing is due
    expect(r.scenarioNow()).toBe(300);
    expect(r.tick().fired).toBe(0);
    expect(r.nextWakeWall()).toBeUndefined();
    r.resume();
    expect(r.nextWakeWall()).toBe(time.now() + 30_000); // T+600 at ×10
    r.setSpeed(60);
    expect(r.nextWakeWall()).toBe(time.now() + 5_000);
    time.advance(5_000);
    expect(r.tick().fired).toBe(2);
    expect(r.scenarioNow()).toBe(600);
  });

  it('never fires an occurrence twice across reopenings, and resumes the clock where it would be', () => {
    const r1 = open();
    r1.start(60);
    time.advance(10_000); // T+600
    r1.tick();
    const before = store.read('s1').length;
    // A second runner on the same log (a restart) decides nothing new at the same time.
    const r2 = open();
    expect(r2.scenarioNow()).toBe(600);
    expect(r2.tick()).toEqual({ fired: 0, skipped: 0 });
    expect(store.read('s1').length).toBe(before);
    time.advance(10_000);
    expect(r2.scenarioNow()).toBe(1200);
    r2.tick();
    const fired = store.read('s1').filter((e) => isEvent(e, 'inject.fired'));
    const keys = fired.map((e) => `${e.team}/${isEvent(e, 'inject.fired') && e.payload.inject}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('finishes a firing whose effects a crash cut off, writing each effect once', () => {
    const r1 = open();
    r1.start(60);
    time.advance(10_000);
    r1.tick();
    // Simulate a crash between the decision and its effects: delete the effects, keep the decision.
    store.db
      .prepare(
        "DELETE FROM events WHERE session = 's1' AND type IN ('message.delivered', 'attack.step', 'inject.succeeded')",
      )
      .run();
    const r2 = open();
    r2.tick();
    r2.tick();
    const log = store.read('s1');
    expect(log.filter((e) => e.type === 'message.delivered')).toHaveLength(2);
    expect(log.filter((e) => e.type === 'attack.step')).toHaveLength(2);
    expect(log.filter((e) => e.type === 'inject.succeeded')).toHaveLength(2);
    expect(log.filter((e) => e.type === 'inject.fired')).toHaveLength(2);
  });

  it('runs cron beacons per team, gates them on team state, and skips missed ones past the grace', () => {
    const r = open();
    r.start(60);
    time.advance(20_000); // T+1200: first cron occurrence and c2-traffic
    r.tick();
    r.resolveExpectation('team1', 'contain-pc', 'c2-traffic', 'met'); // team1 contained
    time.advance(10_000); // T+1800
    r.tick();
    const occ = (team: string) =>
      [...(r.state.teams.get(team)!.occurrences.get('beacon') ?? new Map()).entries()].map(
        ([k, v]) => `${k}:${v.status}`,
      );
    expect(occ('team1')).toEqual(['c0:succeeded', 'c1:skipped']);
    expect(occ('team2')).toEqual(['c0:succeeded', 'c1:succeeded']);
    // The orchestrator "sleeps" past T+2400, T+3000 and T+3600: 3 occurrences, the newest 61 s late.
    time.advance(30_000 + 61_000);
    r.tick();
    const skipped = store.read('s1').filter((e) => isEvent(e, 'inject.skipped') && e.team === 'team2');
    expect(
      skipped.map((e) => isEvent(e, 'inject.skipped') && `${e.payload.occurrence}:${e.payload.reason}`),
    ).toEqual(['c2:missed', 'c3:missed', 'c4:missed']);
  });

  it('fires after-triggers on success and on expiry, manual injects on request, and honours skips', () => {
    const r = open();
    r.start(60);
    time.advance(20_000); // T+1200: c2-traffic succeeds
    r.tick();
    time.advance(5_000); // T+1500: soc-call (after c2-traffic success + 300)
    r.tick();
    const st = r.state.teams.get('team1')!;
    expect(st.occurrences.get('soc-call')?.get('a0')?.status).toBe('succeeded');
    // escalate: phish-mail fired at T+600, expiry 3600 → T+4200.
    expect(st.occurrences.get('escalate')).toBeUndefined();
    r.fire('team2', 'press', 'controller', 'press enquiry');
    r.skip(null, 'lateral', 'controller', 'not today');
    r.tick();
    expect(r.state.teams.get('team2')!.occurrences.get('press')?.size).toBe(1);
    expect(r.state.teams.get('team1')!.occurrences.get('press')).toBeUndefined();
    time.advance(45_000); // T+3000
    r.tick();
    expect(st.occurrences.get('escalate')).toBeUndefined();
    time.advance(20_000); // T+4200
    r.tick();
    expect(st.occurrences.get('escalate')?.get('a0')?.status).toBe('succeeded');
    time.advance(60_000); // T+7800 > lateral's T+7200, but it was skipped by the controller
    r.tick();
    expect(st.occurrences.get('lateral')).toBeUndefined();
  });

  it('branches per team: a team that contained early does not see the lateral movement', () => {
    const r = open();
    r.start(60);
    r.resolveExpectation('team1', 'contain-pc', 'c2-traffic', 'met');
    time.advance(120_000); // T+7200
    r.tick();
    expect(r.state.teams.get('team1')!.occurrences.get('lateral')?.get('0')?.status).toBe('skipped');
    expect(r.state.teams.get('team2')!.occurrences.get('lateral')?.get('0')?.status).toBe('succeeded');
  });

  it('acts on live hosts through the driver and cleans up in reverse order at the end', async () => {
    const r = open('live', livePlan());
    r.start(60);
    for (let i = 0; i < 6; i++) {
      time.advance(1000);
      r.tick();
      await r.drain();
    }
    const host = join(driver.root, 'team1', 'web01');
    expect(readFileSync(join(host, 'tmp/payload.sh'), 'utf8')).toBe('echo pwned\n');
    expect(readFileSync(join(host, 'out.txt'), 'utf8')).toBe('echo pwned\n');
    expect(driver.running().sort()).toEqual(['live/team1/beacon/0', 'live/team2/beacon/0']);
    await new Promise((res) => setTimeout(res, 50));
    expect(readFileSync(join(host, 'var/log/beacon.log'), 'utf8')).toContain('GET http://c2.evil.example/b');
    const box = join(driver.root, 'team2', 'mail', 'user0001@corp.example', 'new');
    const eml = readFileSync(join(box, readdirSync(box)[0]!), 'utf8');
    expect(eml).toContain('Subject: Invoice');
    expect(eml).toContain('From: =?UTF-8?B?');
    expect(eml).toContain('filename="invoice.doc"');
    const log = store.read('live');
    const failed = log.find((e) => isEvent(e, 'inject.failed'));
    expect(failed && isEvent(failed, 'inject.failed') && failed.payload.detail).toMatch(/^exit 3/);
    const drop = log.find((e) => isEvent(e, 'attack.step'));
    expect(drop && isEvent(drop, 'attack.step') && drop.payload.artifacts.hosts).toEqual(['web01']);

    await r.stop();
    expect(driver.running()).toEqual([]);
    expect(existsSync(join(host, 'tmp/payload.sh'))).toBe(false);
    expect(existsSync(join(host, 'out.txt'))).toBe(false);
    // run-cmd fired after drop-file, so its cleanup ran first.
    expect(readFileSync(join(host, 'cleanup.log'), 'utf8')).toBe('two\none\n');
    const cleanups = store.read('live').filter((e) => isEvent(e, 'cleanup.ran') && e.team === 'team1');
    expect(cleanups.map((e) => isEvent(e, 'cleanup.ran') && `${e.payload.inject}:${e.payload.ok}`)).toEqual([
      'beacon:true',
      'run-cmd:true',
      'drop-file:true',
    ]);
    // Stopping again (or after a restart) runs nothing twice.
    const again = open('live', livePlan());
    await again.stop();
    expect(store.read('live').filter((e) => e.type === 'cleanup.ran')).toHaveLength(6);
  });

  it('sees facts other writers append to its session (scoring, the server) before deciding', () => {
    const events: StoredEvent[] = [];
    const r = open('s1', smallPlan(), events);
    r.start(60);
    // Scoring, on its own connection to the same file, resolves team1's containment.
    const other = new EventStore(join(dir.path, 'events.db'));
    other.append({
      session: 's1',
      scenarioTime: 10,
      wallTime: time.now(),
      event: {
        type: 'expectation.resolved',
        team: 'team1',
        payload: { expectation: 'contain-pc', inject: 'c2-traffic', result: 'met' },
      },
    });
    other.close();
    time.advance(120_000); // T+7200
    r.tick();
    expect(r.state.teams.get('team1')!.occurrences.get('lateral')?.get('0')?.status).toBe('skipped');
    expect(r.state.teams.get('team2')!.occurrences.get('lateral')?.get('0')?.status).toBe('succeeded');
    expect(events.some((e) => e.type === 'expectation.resolved')).toBe(true);
    const seqs = store.read('s1').map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('keeps several sessions apart in one database', () => {
    const a = open('a');
    const b = open('b', smallPlan({ teams: 3 }));
    a.start(60);
    time.advance(10_000);
    b.start(60);
    time.advance(10_000);
    a.tick();
    b.tick();
    expect(store.listSessions().map((s) => s.id)).toEqual(['a', 'b']);
    expect(a.scenarioNow()).toBe(1200);
    expect(b.scenarioNow()).toBe(600);
    expect(store.read('a').filter((e) => e.type === 'inject.fired')).toHaveLength(6); // phish, c2, beacon × 2 teams
    expect(store.read('b').filter((e) => e.type === 'inject.fired')).toHaveLength(3); // phish × 3 teams
    expect(store.read('b').every((e) => e.session === 'b')).toBe(true);
  });

  it('runs its timer loop in real time and records lateness of every firing', async () => {
    const plan = smallPlan({
      injects: [0, 1, 2, 3, 4].map((i) => ({
        ...storyInjects()[5]!,
        id: `i${i}`,
        trigger: { kind: 'offset' as const, at: 10 + i * 5 },
      })),
    });
    const store2 = store;
    SessionRunner.create(store2, { id: 'rt', plan, scenarioEpochMs: EPOCH });
    const r = new SessionRunner({ store: store2, session: 'rt', driver });
    r.start(100); // T+10..T+30 within 0.1..0.3 s
    await r.run({ untilScenario: 40, maxWallMs: 5000 });
    const fired = store2.read('rt').filter((e) => isEvent(e, 'inject.fired'));
    expect(fired).toHaveLength(10);
    for (const e of fired) if (isEvent(e, 'inject.fired')) expect(e.payload.latenessMs).toBeLessThan(100);
  });
});
