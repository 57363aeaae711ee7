import {
  BUCKET_S,
  countInBucket,
  eventAt,
  generateBucket,
  kindAt,
  randomCount,
  timeAt,
} from '../../src/engine/simulation/background';
import { buildTeamModel } from '../../src/engine/simulation/team-model';
import { buildPlan } from './fixtures';

const EPOCH = Date.UTC(2026, 10, 26, 1, 0, 0); // 10:00 Tokyo
const plan = buildPlan({ teams: 2, workstations: 200, seed: 7 });
const model = (p = plan, team = 0) => buildTeamModel(p, p.teams[team]!, EPOCH);
/** Bucket of `hh:mm` local time on the first day (the scenario starts at 10:00). */
const at = (hh: number, mm = 0) => hh * 60 + mm - 10 * 60 + (hh < 10 ? 24 * 60 : 0);

describe('background activity', () => {
  it('is a pure function of the seed: same seed, same records; another seed, another story', () => {
    const a = generateBucket(model(), at(11));
    const b = generateBucket(model(), at(11));
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(100);
    const other = generateBucket(model(buildPlan({ teams: 1, workstations: 200, seed: 8 })), at(11));
    expect(other).not.toEqual(a);
    // Each record regenerates alone, in any order, as part of its bucket.
    const m = model();
    const h = m.byName.get('pc-0042')!;
    const n = randomCount(m, h, at(11));
    const alone = Array.from({ length: countInBucket(m, h, at(11)) }, (_, i) => eventAt(m, h, at(11), i, n));
    expect(a.filter((r) => r.fields['host.name'] === 'pc-0042')).toEqual(alone.sort((x, y) => x.ts - y.ts));
    for (let i = 0; i < alone.length; i++) expect(kindAt(m, h, at(11), i, n)).toBeDefined();
  });

  it('tells every team the same story with its own addresses', () => {
    const [a, b] = [generateBucket(model(plan, 0), at(11)), generateBucket(model(plan, 1), at(11))];
    expect(a.map((r) => [r.ts, r.fields['host.name'], r.fields['event.action']])).toEqual(
      b.map((r) => [r.ts, r.fields['host.name'], r.fields['event.action']]),
    );
    expect(a.every((r) => String(r.fields['host.ip']).startsWith('10.0.'))).toBe(true);
    expect(b.every((r) => String(r.fields['host.ip']).startsWith('10.1.'))).toBe(true);
  });

  it('follows the working day in ECS records: busy mornings, a lunch dip, quiet nights, logons and logoffs, rare decoys', () => {
    const m = model();
    const hosts = [...m.names.keys()];
    const perHour = (hh: number) => {
      let n = 0;
      for (let b = at(hh); b < at(hh) + 60; b++) for (const h of hosts) n += countInBucket(m, h, b);
      return n;
    };
    const morning = perHour(11);
    const lunch = perHour(12);
    const night = perHour(3);
    expect(lunch).toBeLessThan(morning * 0.6);
    expect(night).toBeLessThan(morning * 0.1);
    // A whole day (10:00 to 10:00): logons and logoffs alternate on every workstation.
    const edges = new Map<string, string[]>();
    const seen = new Map<string, number>();
    let decoys = 0;
    const bad: string[] = [];
    for (let b = 0; b < 24 * 60; b++) {
      const lo = EPOCH + b * BUCKET_S * 1000;
      for (const r of generateBucket(m, b)) {
        const a = String(r.fields['event.action']);
        seen.set(a, (seen.get(a) ?? 0) + 1);
        if (r.ts < lo || r.ts >= lo + BUCKET_S * 1000) bad.push(`${r.id} outside its minute`);
        if (typeof r.fields['host.name'] !== 'string' || typeof r.fields['event.dataset'] !== 'string')
          bad.push(`${r.id} lacks ECS fields`);
        if (/whoami|powershell|net use/.test(String(r.fields['process.command_line'] ?? ''))) decoys++;
        if (a === 'logged-in' || a === 'logged-out') {
          const host = String(r.fields['host.name']);
          edges.set(host, [...(edges.get(host) ?? []), a]);
        }
      }
    }
    expect(bad).toEqual([]);
    for (const seq of edges.values())
      for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
    expect(edges.size).toBeGreaterThan(180); // about 1 in 25 users is away on a given day
    expect([...seen.keys()].sort()).toEqual(
      [
        'dns-query',
        'logged-in',
        'logged-out',
        'mail-delivered',
        'network-connection',
        'process-created',
        'proxy-request',
        'share-accessed',
      ].sort(),
    );
    const total = [...seen.values()].reduce((x, y) => x + y, 0);
    // Odd but benign admin commands are present, and rare.
    expect(decoys).toBeGreaterThan(0);
    expect(decoys / total).toBeLessThan(0.001);
    expect(m.decoys.length).toBe(4); // and the plan's certutil decoy, four times
  }, 60_000);
});

describe('background realism', () => {
  it('keeps servers off the web and points internal connections at the team’s own servers', () => {
    const m = model(plan, 1);
    const servers = new Set(['dc01', 'fs01', 'mail01', 'proxy01', 'web01']);
    const serverIps = new Set([...servers].map((n) => m.ips[m.byName.get(n)!]));
    const bad: string[] = [];
    for (let b = 0; b < 120; b++) {
      for (const r of generateBucket(m, b)) {
        const a = r.fields['event.action'];
        if (
          servers.has(String(r.fields['host.name'])) &&
          !['dns-query', 'network-connection', 'process-created'].includes(String(a))
        )
          bad.push(`${r.fields['host.name']} ${a}`);
        if (a === 'network-connection' && !serverIps.has(String(r.fields['destination.ip'])))
          bad.push(`connection to ${r.fields['destination.ip']}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('background shortcuts', () => {
  it('count and time records exactly as building them would', () => {
    const m = model();
    for (let b = 0; b < 24 * 60; b += 13) {
      for (let h = 0; h < m.names.length; h += 3) {
        const n = randomCount(m, h, b);
        const total = countInBucket(m, h, b);
        expect(generateBucket(m, b, [h])).toHaveLength(total);
        for (let i = 0; i < total; i++) expect(timeAt(m, h, b, i, n)).toBe(eventAt(m, h, b, i, n).ts);
      }
    }
  });
});
