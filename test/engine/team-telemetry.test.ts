import { join } from 'node:path';
import { FakeTime } from '../../src/engine/clock/time-source';
import { SandboxHostDriver } from '../../src/engine/live/sandbox-host-driver';
import { SessionRunner } from '../../src/engine/session/session-runner';
import { generateBucket } from '../../src/engine/simulation/background';
import { backgroundKindsFor, backgroundKindsForText } from '../../src/engine/simulation/background-filters';
import { buildTeamModel } from '../../src/engine/simulation/team-model';
import { EventStore } from '../../src/engine/store/event-store';
import { TelemetryTable } from '../../src/engine/store/telemetry-table';
import { TeamTelemetry } from '../../src/engine/telemetry/team-telemetry';
import { smallPlan } from './fixtures';
import { tempDir } from './support/temp-dir';

const EPOCH = Date.UTC(2026, 10, 26, 1, 0, 0);

describe('team telemetry search', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: EventStore;
  let runner: SessionRunner;
  let time: FakeTime;
  beforeAll(() => {
    dir = tempDir('search');
    store = new EventStore(join(dir.path, 'e.db'));
    time = new FakeTime(EPOCH);
    SessionRunner.create(
      store,
      { id: 's', plan: smallPlan({ workstations: 50 }), scenarioEpochMs: EPOCH },
      time,
    );
    runner = new SessionRunner({
      store,
      session: 's',
      driver: new SandboxHostDriver(join(dir.path, 'sb')),
      time,
    });
    runner.start(60);
    for (const step of [10_000, 10_000, 10_017]) {
      time.advance(step); // T+600, T+1200, T+1801
      runner.tick();
    }
    time.advance(1000); // T+1861.02: the beacon fired at T+1801.02 is in the past now
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('blends the attack into the background and shows it to its team only, without ground truth', () => {
    const q = {
      from: EPOCH,
      to: EPOCH + 3600_000,
      filters: { 'destination.domain': 'c2.evil.example', 'event.action': 'proxy-request' },
    };
    const mine = runner.telemetry('team2').search(q);
    expect(mine.records.map((r) => r['@timestamp'])).toEqual([
      '2026-11-26T01:20:00.000Z',
      '2026-11-26T01:20:00.000Z', // the first cron beacon at the same minute
      '2026-11-26T01:21:00.000Z',
      '2026-11-26T01:22:00.000Z',
      '2026-11-26T01:30:01.020Z', // the second beacon, fired at the tick of T+1801.02
    ]);
    expect(mine.records.every((r) => r['host.ip'] === '10.1.16.11')).toBe(true);
    expect(JSON.stringify(mine.records)).not.toMatch(/trk-/);
    // team1's rows carry team1's addresses; no team reaches another's rows.
    const theirs = runner.telemetry('team1').search(q);
    expect(theirs.records.every((r) => String(r['host.ip']).startsWith('10.0.'))).toBe(true);
  });

  it('never shows the future: records after the current scenario time stay hidden', () => {
    const t = runner.telemetry('team1');
    const all = t.search({ from: EPOCH + 1700_000, to: EPOCH + 7200_000, limit: 1000 });
    const last = all.records[all.records.length - 1]!;
    expect(Date.parse(String(last['@timestamp']))).toBeLessThan(EPOCH + 1861_020);
    expect(Date.parse(String(last['@timestamp']))).toBeGreaterThan(EPOCH + 1850_000);
  });

  it('keeps a day of simulated history before T+0, and no more', () => {
    const page = runner.telemetry('team1').search({ from: 0, to: EPOCH, limit: 5 });
    const first = Date.parse(String(page.records[0]!['@timestamp']));
    expect(first).toBeGreaterThanOrEqual(EPOCH - 86_400_000);
    expect(first).toBeLessThan(EPOCH - 86_000_000);
    expect(page.scannedBuckets).toBeLessThan(10);
  });

  it('pages with a cursor through exactly the records of one unpaged query, in order', () => {
    const t = runner.telemetry('team1');
    const q = { from: EPOCH + 600_000, to: EPOCH + 900_000 };
    const whole = t.search({ ...q, limit: 1000 }).records;
    expect(whole.length).toBeGreaterThan(200);
    const pages: unknown[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const p = t.search({ ...q, limit: 37, ...(cursor ? { cursor } : {}) });
      pages.push(...p.records);
      cursor = p.nextCursor;
      if (!cursor) break;
    }
    expect(pages).toEqual(whole);
    expect(() => t.search({ ...q, cursor: 'garbage' })).toThrow(/invalid cursor/);
  });

  it('filters by host and free text, and counts over time', () => {
    const t = runner.telemetry('team1');
    const q = { from: EPOCH, to: EPOCH + 1800_000 };
    const host = t.search({ ...q, filters: { 'host.name': 'pc-0001' }, limit: 1000 });
    expect(host.records.length).toBeGreaterThan(10);
    expect(host.records.every((r) => r['host.name'] === 'pc-0001')).toBe(true);
    const ps = t.search({ ...q, text: 'POWERSHELL -ENC' });
    expect(ps.records).toHaveLength(1);
    const hist = t.histogram(q, 600_000);
    expect(hist.map((b) => b.ts)).toEqual([EPOCH, EPOCH + 600_000, EPOCH + 1200_000]);
    const total = hist.reduce((n, b) => n + b.count, 0);
    let paged = 0;
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const p = t.search({ ...q, limit: 1000, ...(cursor ? { cursor } : {}) });
      paged += p.records.length;
      cursor = p.nextCursor;
      if (!cursor) break;
    }
    expect(total).toBe(paged);
    const filtered = t.histogram({ ...q, filters: { 'destination.domain': 'c2.evil.example' } }, 600_000);
    // Each call's DNS lookup is 50 ms before its request: the lookups of T+1200 fall in the previous slot.
    expect(filtered.map((b) => b.count)).toEqual([0, 2, 6]);
  });
});

describe('background kinds a filter can match', () => {
  it('are decided from the closed vocabulary', () => {
    expect([...backgroundKindsFor({ 'destination.domain': 'c2.evil.example' })]).toEqual([]);
    expect([...backgroundKindsFor({ 'destination.domain': 'www.google.com' })].sort()).toEqual([
      'dns',
      'proxy',
    ]);
    expect([...backgroundKindsFor({ 'event.action': 'logged-in' })]).toEqual(['logon']);
    expect([
      ...backgroundKindsFor({ 'event.dataset': 'windows.security', 'event.action': 'process-created' }),
    ]).toEqual(['process']);
    expect([...backgroundKindsFor({ 'process.hash.sha256': 'abc' })]).toEqual([]);
    expect(backgroundKindsFor({ 'host.name': 'pc-0001' }).size).toBe(8);
  });
});

describe('background kinds a free text can match', () => {
  it('never leave out the kind of a record that contains the text (sampled from real records)', () => {
    const plan = smallPlan({ workstations: 50 });
    const m = buildTeamModel(plan, plan.teams[0]!, EPOCH);
    const kindOf: Record<string, string> = {
      'dns-query': 'dns',
      'proxy-request': 'proxy',
      'process-created': 'process',
      'network-connection': 'network',
      'share-accessed': 'share',
      'mail-delivered': 'mail',
      'logged-in': 'logon',
      'logged-out': 'logoff',
    };
    let seed = 1;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const misses: string[] = [];
    let checked = 0;
    for (let b = 0; b < 600; b += 7) {
      for (const r of generateBucket(m, b)) {
        const values = Object.values(r.fields).map(String);
        const v = values[rand(values.length)]!;
        const start = rand(v.length);
        const text = v.slice(start, start + 3 + rand(12));
        const kind = kindOf[String(r.fields['event.action'])]!;
        if (!backgroundKindsForText(text, m).has(kind as never)) misses.push(`${kind}: "${text}" in ${v}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(misses).toEqual([]);
    expect([...backgroundKindsForText('whoami', m)]).toEqual(['process']);
    expect([...backgroundKindsForText('c2.evil.example', m)]).toEqual([]);
  });
});

describe('live hosts’ collected logs', () => {
  it('join the team’s stream once per batch key, in time order with the background', () => {
    const dir = tempDir('collect');
    const store = new EventStore(join(dir.path, 'e.db'));
    try {
      const time = new FakeTime(EPOCH);
      SessionRunner.create(
        store,
        { id: 'c', plan: smallPlan({ workstations: 10 }), scenarioEpochMs: EPOCH },
        time,
      );
      const r = new SessionRunner({
        store,
        session: 'c',
        driver: new SandboxHostDriver(join(dir.path, 'sb')),
        time,
      });
      r.start(60);
      time.advance(10_000); // T+600
      const line = {
        ts: EPOCH + 300_000,
        fields: {
          'event.dataset': 'squid.access',
          'event.action': 'proxy-request',
          'url.full': 'http://update-check.example/a',
        },
      };
      expect(r.collect('team1', 'proxy01', 'squid', 'access.log:0', [line])).toBe(true);
      expect(r.collect('team1', 'proxy01', 'squid', 'access.log:0', [line])).toBe(false);
      const found = r.telemetry('team1').search({ from: EPOCH, to: EPOCH + 600_000, text: 'update-check' });
      expect(found.records).toEqual([
        { '@timestamp': '2026-11-26T01:05:00.000Z', 'host.name': 'proxy01', ...line.fields },
      ]);
      expect(
        r.telemetry('team2').search({ from: EPOCH, to: EPOCH + 600_000, text: 'update-check' }).records,
      ).toEqual([]);
      expect(store.read('c').filter((e) => e.type === 'telemetry.collected')).toHaveLength(1);
    } finally {
      store.close();
      dir.remove();
    }
  });
});

describe('counts over time, repeated', () => {
  it('answer the same from the per-minute cache as when first counted', () => {
    const plan = smallPlan({ workstations: 30 });
    const m = buildTeamModel(plan, plan.teams[0]!, EPOCH);
    const dir = tempDir('hist');
    const store = new EventStore(join(dir.path, 'e.db'));
    try {
      const view = new TeamTelemetry(m, new TelemetryTable(store.db), 's', () => EPOCH + 8 * 3600_000);
      const q = { from: EPOCH, to: EPOCH + 8 * 3600_000 };
      const first = view.histogram(q, 1800_000);
      expect(m.bucketTotals.size).toBe(480);
      expect(view.histogram(q, 1800_000)).toEqual(first);
      const paged = view.search({ ...q, from: EPOCH + 3600_000, to: EPOCH + 5400_000, limit: 1000 });
      expect(paged.records.length).toBeLessThanOrEqual(first[2]!.count);
    } finally {
      store.close();
      dir.remove();
    }
  });
});
