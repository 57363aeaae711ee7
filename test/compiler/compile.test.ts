/**
 * The compiler: same input → same plan byte for byte; every team's copy identical in names and
 * shape but never sharing an address with another team; addresses inside their segments.
 */
import { join } from 'node:path';
import { cidrContains, cidrsOverlap, parseCidr, parseIp } from '../../src/common/ipv4';
import { compile } from '../../src/compiler/compile';
import type { Plan } from '../../src/compiler/plan';
import { FIXTURES, loadValid, planOf, SCENARIOS } from '../scenario/support/load';

const FLAGSHIP = join(SCENARIOS, 'agency-apt.yaml');
const QUICKSTART = join(SCENARIOS, 'quickstart.yaml');

/** Every address of every host of every team, and where each came from. */
function allAddresses(plan: Plan): Map<string, string> {
  const seen = new Map<string, string>();
  for (const team of plan.teams) {
    for (const h of team.hosts) {
      for (const f of h.interfaces) {
        const owner = `${team.id}/${h.name}/${f.segment}`;
        const other = seen.get(f.ip);
        if (other) throw new Error(`${f.ip} is used by ${other} and ${owner}`);
        seen.set(f.ip, owner);
      }
    }
  }
  return seen;
}

describe('determinism', () => {
  test.each([QUICKSTART, FLAGSHIP, join(SCENARIOS, 'city-hall-web.yaml')])(
    '%s compiles to identical JSON twice',
    (path) => {
      const a = JSON.stringify(planOf(path));
      const b = JSON.stringify(planOf(path));
      expect(a).toBe(b);
    },
  );

  test('compiling the same scenario object twice gives equal plans (no hidden state)', () => {
    const { scenario } = loadValid(QUICKSTART);
    expect(JSON.stringify(compile(scenario))).toBe(JSON.stringify(compile(scenario)));
  });

  test('the seed changes generated names, and only the seed', () => {
    const a = planOf(QUICKSTART);
    const { scenario } = loadValid(QUICKSTART);
    scenario.metadata.seed = 8;
    const b = compile(scenario, { parameters: a.parameters });
    expect(b.users.map((u) => u.name)).not.toEqual(a.users.map((u) => u.name));
    expect(b.teams[0]!.hosts.map((h) => h.ip)).toEqual(a.teams[0]!.hosts.map((h) => h.ip));
  });
});

describe('addressing', () => {
  const plan = planOf(QUICKSTART, { teams: 12 });

  test('no address is used twice, in a team or across teams', () => {
    expect(() => allAddresses(plan)).not.toThrow();
  });

  test("no team's segment overlaps another team's", () => {
    const blocks = plan.teams.flatMap((t) =>
      t.segments.map((s) => ({ team: t.id, id: s.id, cidr: parseCidr(s.cidr)! })),
    );
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        expect(cidrsOverlap(blocks[i]!.cidr, blocks[j]!.cidr)).toBe(false);
      }
    }
  });

  test("every address lies in its team's segment and avoids the gateway and bridge", () => {
    for (const team of plan.teams) {
      const segs = new Map(team.segments.map((s) => [s.id, s]));
      for (const h of team.hosts) {
        for (const f of h.interfaces) {
          const seg = segs.get(f.segment)!;
          expect(cidrContains(parseCidr(seg.cidr)!, parseIp(f.ip)!)).toBe(true);
          if (h.role !== 'firewall') expect([seg.gateway, seg.bridge]).not.toContain(f.ip);
          else expect(f.ip).toBe(seg.gateway);
        }
      }
    }
  });

  test('teams are identical copies: same names, roles and fidelity in the same order', () => {
    const shape = (i: number) =>
      plan.teams[i]!.hosts.map((h) => `${h.name}/${h.role}/${h.fidelity}/${h.segment}`);
    for (let i = 1; i < plan.teams.length; i++) expect(shape(i)).toEqual(shape(0));
  });

  test('fixed addresses are kept and shifted per team', () => {
    const proxy = (i: number) => plan.teams[i]!.hosts.find((h) => h.name === 'proxy')!.ip;
    expect(proxy(0)).toBe('10.10.1.10');
    expect(proxy(1)).toBe('10.11.1.10');
    expect(proxy(11)).toBe('10.21.1.10');
  });
});

describe('the flagship for ten teams', () => {
  const plan = planOf(FLAGSHIP, { teams: 10 });

  test('has ten teams of over 3,000 hosts each, none sharing an address', () => {
    expect(plan.teams).toHaveLength(10);
    for (const t of plan.teams) expect(t.hosts.length).toBeGreaterThan(3000);
    expect(allAddresses(plan).size).toBe(
      plan.teams.reduce((n, t) => n + t.hosts.reduce((m, h) => m + h.interfaces.length, 0), 0),
    );
  });

  test('gives each workstation with a department one of its staff', () => {
    const team = plan.teams[9]!;
    const users = new Map(plan.users.map((u) => [u.id, u]));
    const staffed = team.hosts.filter((h) => h.role === 'workstation' && h.users.length > 0);
    expect(staffed.length).toBeGreaterThan(3000);
    for (const h of staffed) expect(users.get(h.users[0]!)?.department).toBe(h.department);
    const victim = team.hosts.find((h) => h.name === 'pc-seisaku-0481');
    expect(victim?.users).toEqual(['victim']);
  });

  test('user accounts are unique', () => {
    expect(new Set(plan.users.map((u) => u.account)).size).toBe(plan.users.length);
  });
});

describe('fidelity', () => {
  test('`simulated` forces every host simulated and injects onto the telemetry channel', () => {
    const { scenario } = loadValid(join(FIXTURES, 'minimal.yaml'), { fidelity: 'simulated' });
    const plan = compile(scenario, { fidelity: 'simulated' });
    expect(plan.teams[0]!.hosts.every((h) => h.fidelity === 'simulated')).toBe(true);
    expect(plan.injects.map((i) => i.channel)).toEqual(['telemetry', 'telemetry']);
  });
});

describe('injects', () => {
  const plan = planOf(QUICKSTART);
  const inject = (id: string) => plan.injects.find((i) => i.id === id)!;

  test('triggers become seconds from the start', () => {
    expect(inject('phish-opened').trigger).toEqual({ kind: 'offset', at: 120 });
    expect(inject('beacon').trigger).toEqual({
      kind: 'after',
      inject: 'phish-opened',
      on: 'success',
      delay: 60,
    });
  });

  test('expectation windows fall back to the scoring defaults and `require` to all listed items', () => {
    expect(inject('beacon').expectations[0]).toMatchObject({
      window: 600,
      expiry: 1500,
      match: { require: 1 },
    });
    expect(inject('report-due').expectations[0]).toMatchObject({ window: 600, expiry: 1500 });
  });

  test('ground truth names the hosts and domains a step touched', () => {
    expect(inject('beacon').indicators).toMatchObject({
      hosts: ['pc-victim', 'c2'],
      domains: ['update-check.example'],
    });
  });
});
