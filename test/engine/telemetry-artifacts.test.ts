import { expandArtifacts, resolveDomain } from '../../src/engine/injects/telemetry-artifacts';
import { attackArtifacts } from '../../src/engine/session/ground-truth';
import { buildTeamModel } from '../../src/engine/simulation/team-model';
import { smallPlan } from './fixtures';

const EPOCH = Date.UTC(2026, 10, 26, 1, 0, 0);

describe('attack artifacts', () => {
  const plan = smallPlan();
  const team = plan.teams[1]!;
  const m = buildTeamModel(plan, team, EPOCH);
  const c2 = plan.injects.find((i) => i.id === 'c2-traffic')!;
  const events = c2.action.type === 'telemetry' ? c2.action.events : [];
  const records = expandArtifacts(events, m.artifactContext(EPOCH + 1200_000));

  it('agree across proxy, DNS and endpoint records on host, user, address, domain and time', () => {
    const proxy = records.filter((r) => r.fields['event.dataset'] === 'squid.access');
    const dns = records.filter((r) => r.fields['event.dataset'] === 'dns.query');
    const conn = records.filter((r) => r.fields['event.action'] === 'network-connection');
    expect([proxy.length, dns.length, conn.length]).toEqual([3, 3, 3]);
    for (let i = 0; i < 3; i++) {
      const [p, d, c] = [proxy[i]!, dns[i]!, conn[i]!];
      for (const r of [p, d, c]) {
        expect(r.fields['host.name']).toBe('pc-0001');
        expect(r.fields['source.ip']).toBe('10.1.16.11');
      }
      expect(p.fields['user.name']).toBe('user0001');
      expect(c.fields['user.name']).toBe('user0001');
      expect(d.fields['dns.question.name']).toBe('c2.evil.example');
      expect(d.fields['dns.resolved_ip']).toBe(p.fields['destination.ip']);
      expect(p.fields['destination.ip']).toBe('203.0.113.50');
      // The endpoint connects to this team's proxy, on its port, just before the request.
      expect(c.fields['destination.ip']).toBe('10.1.1.13');
      expect(c.fields['destination.port']).toBe(3128);
      expect(d.ts).toBeLessThan(c.ts);
      expect(c.ts).toBeLessThan(p.ts);
      expect(p.ts - d.ts).toBeLessThan(1000);
      expect(p.ts).toBe(EPOCH + (1200 + i * 60) * 1000);
      expect(p.fields['url.full']).toBe('https://c2.evil.example/beacon');
    }
    const proc = records.find((r) => r.fields['event.code'] === '4688')!;
    expect(proc.fields).toMatchObject({
      'host.name': 'pc-0001',
      'user.name': 'user0001',
      'process.name': 'powershell',
      'process.hash.sha256': 'abc123',
    });
  });

  it('resolve a domain to the same address everywhere, background included', () => {
    expect(resolveDomain('c2.evil.example')).toBe(resolveDomain('c2.evil.example'));
    expect(resolveDomain('www.google.com')).toMatch(/^198\.51\.100\.\d+$/);
  });

  it('feed the ground truth: hosts, accounts, addresses, domains and hashes of the step', () => {
    expect(attackArtifacts(plan, team, c2, records)).toEqual({
      hosts: ['pc-0001'],
      accounts: ['user0001'],
      ips: ['10.1.16.11', '203.0.113.50'],
      domains: ['c2.evil.example'],
      hashes: ['abc123'],
    });
  });

  it('refuse a host the team does not have', () => {
    expect(() => expandArtifacts([{ ...events[0]!, host: 'nope' }], m.artifactContext(EPOCH))).toThrow(
      /does not have/,
    );
  });
});

describe('host names in artifact fields', () => {
  const plan = smallPlan();
  const team = plan.teams[1]!;
  const m = buildTeamModel(plan, team, EPOCH);

  it('become this team’s addresses, so a lateral logon names its pivot', () => {
    const recs = expandArtifacts(
      [
        {
          kind: 'logon',
          host: 'fs01',
          user: 'u0001',
          offset: 0,
          count: 1,
          every: 0,
          fields: { 'source.ip': 'pc-0001', 'winlog.logon.type': 3 },
        },
        {
          kind: 'logon',
          host: 'dc01',
          user: 'u0001',
          offset: 1,
          count: 1,
          every: 0,
          fields: { 'source.address': 'pc-0001' },
        },
        {
          kind: 'network',
          host: 'pc-0001',
          offset: 2,
          count: 1,
          every: 0,
          fields: { 'destination.ip': 'fs01', 'destination.port': 445 },
        },
      ],
      m.artifactContext(EPOCH),
    );
    expect(
      recs.map((r) => [
        r.fields['host.name'],
        r.fields['host.ip'],
        r.fields['source.ip'],
        r.fields['destination.ip'],
      ]),
    ).toEqual([
      ['fs01', '10.1.1.11', '10.1.16.11', undefined],
      ['dc01', '10.1.1.10', '10.1.16.11', undefined],
      ['pc-0001', '10.1.16.11', '10.1.16.11', '10.1.1.11'],
    ]);
    const press = plan.injects.find((i) => i.id === 'press')!; // no declared indicators
    expect(attackArtifacts(plan, team, press, recs.slice(1, 2))).toMatchObject({
      hosts: ['dc01', 'pc-0001'],
      ips: ['10.1.1.10', '10.1.16.11'],
      accounts: ['user0001'],
    });
  });
});
