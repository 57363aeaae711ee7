/**
 * The scenarios we ship validate and plan in every variant, tell the stories the issue asks for,
 * and point editors at the committed JSON Schema, which must match the zod schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../src/compiler/plan';
import { scenarioJsonSchema } from '../../src/scenario/json-schema';
import { loadValid, planOf, SCENARIOS } from './support/load';

const FILES = ['agency-apt.yaml', 'city-hall-web.yaml', 'quickstart.yaml'];
const LEVELS = ['A', 'B', 'C'];

describe.each(FILES)('%s', (file) => {
  const path = join(SCENARIOS, file);

  test.each(LEVELS)('level %s validates', (level) => {
    expect(() => loadValid(path, { set: { level } })).not.toThrow();
  });

  test('references the committed JSON Schema', () => {
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\/scenario\.schema\.json$/m);
    expect(text).toMatch(/^\$schema: \.\/scenario\.schema\.json$/m);
  });
});

test('the committed JSON Schema is the one `cyrange schema` generates', () => {
  const committed = JSON.parse(readFileSync(join(SCENARIOS, 'scenario.schema.json'), 'utf8'));
  expect(committed).toEqual(scenarioJsonSchema());
});

const liveNames = (plan: Plan) => plan.teams[0]!.hosts.filter((h) => h.fidelity === 'live');
const techniques = (plan: Plan) => plan.injects.flatMap((i) => (i.attack ? [i.attack.technique] : []));

describe('agency-apt (flagship)', () => {
  const plan = planOf(join(SCENARIOS, 'agency-apt.yaml'));
  const team = plan.teams[0]!;

  test('is a Japanese ministry with thousands of workstations in at least eight departments', () => {
    expect(plan.scenario).toMatchObject({ language: 'ja', timezone: 'Asia/Tokyo', industry: 'ministry' });
    expect(team.hosts.filter((h) => h.role === 'workstation').length).toBeGreaterThanOrEqual(3000);
    expect(
      new Set(team.hosts.filter((h) => h.role === 'workstation').map((h) => h.department)).size,
    ).toBeGreaterThanOrEqual(8);
    expect(plan.users.length).toBeGreaterThanOrEqual(3000);
    expect(plan.users[100]!.name).toMatch(/^[\u4e00-\u9fff\u3040-\u30ff]+ [\u4e00-\u9fff\u3040-\u30ff]+$/);
  });

  test('has DMZ, servers, staff, management and internet segments, and egress through the proxy', () => {
    expect(new Set(team.segments.map((s) => s.zone))).toEqual(
      new Set(['internet', 'dmz', 'servers', 'staff', 'management']),
    );
    expect(plan.network.egress?.proxy).toBe('proxy');
  });

  test('keeps a few dozen live hosts per team with every service the story needs', () => {
    const live = liveNames(plan);
    expect(live.length).toBeLessThanOrEqual(36);
    const roles = new Set(live.map((h) => h.role));
    for (const role of [
      'proxy',
      'dns',
      'mail',
      'file-server',
      'web',
      'log-collector',
      'firewall',
      'c2',
      'domain-controller',
      'workstation',
    ]) {
      expect(roles).toContain(role);
    }
    expect(live.filter((h) => h.role === 'workstation').length).toBeGreaterThanOrEqual(3);
  });

  test('plays the CYDER storyline from phishing to exfiltration', () => {
    const t = techniques(plan);
    for (const id of [
      'T1566.001',
      'T1204.002',
      'T1071.001',
      'T1087.002',
      'T1003.001',
      'T1021.002',
      'T1136.002',
      'T1039',
      'T1041',
    ]) {
      expect(t).toContain(id);
    }
    const soc = plan.injects.find((i) => i.action.type === 'message' && i.action.from === 'soc');
    expect(soc?.action).toMatchObject({ body: expect.stringContaining('cdn-update-check.example') });
  });

  test('expects detection, triage, escalation, containment and reporting', () => {
    const all = plan.injects.flatMap((i) => i.expectations);
    expect(new Set(all.map((e) => e.type))).toEqual(
      new Set(['detection', 'containment', 'report', 'manual']),
    );
    expect(new Set(all.flatMap((e) => (e.report ? [e.report.kind] : [])))).toEqual(
      new Set(['escalation', 'situation', 'incident']),
    );
    expect(all.map((e) => e.id)).toContain('triage');
  });

  test('levels change the exercise', () => {
    const a = planOf(join(SCENARIOS, 'agency-apt.yaml'), { set: { level: 'A' } });
    const c = planOf(join(SCENARIOS, 'agency-apt.yaml'), { set: { level: 'C' } });
    expect(a.injects.map((i) => i.id)).toContain('hint-proxy-log');
    expect(c.injects.map((i) => i.id)).not.toContain('soc-call');
    expect(c.injects.map((i) => i.id)).toContain('press-inquiry');
  });
});

describe('quickstart', () => {
  const plan = planOf(join(SCENARIOS, 'quickstart.yaml'));

  test('plays in a few minutes of wall time, for two teams', () => {
    expect(plan.scenario.duration / plan.scenario.compression).toBeLessThanOrEqual(5 * 60);
    expect(plan.teams).toHaveLength(2);
  });

  test('has a handful of live hosts and some hundred simulated ones', () => {
    const live = liveNames(plan);
    expect(new Set(live.map((h) => h.role))).toEqual(
      new Set(['proxy', 'dns', 'c2', 'workstation', 'firewall']),
    );
    expect(live.length).toBeLessThanOrEqual(8);
    expect(plan.teams[0]!.hosts.length - live.length).toBeGreaterThanOrEqual(100);
  });
});

describe('city-hall-web', () => {
  const plan = planOf(join(SCENARIOS, 'city-hall-web.yaml'));

  test('compromises the public web server, defaces it and spreads inside', () => {
    expect(plan.scenario.industry).toBe('city-hall');
    expect(techniques(plan)).toEqual(expect.arrayContaining(['T1190', 'T1491.002', 'T1021.002']));
    const deface = plan.injects.find((i) => i.id === 'deface');
    expect(deface?.action).toMatchObject({ type: 'file', host: 'www' });
  });

  test('takes its scoring defaults from the included fragment', () => {
    expect(plan.scoring.decay).toEqual({ shape: 'linear', floor: 0.3 });
    expect(plan.scoring.critical).toEqual(['dns', 'dc01']);
  });
});
