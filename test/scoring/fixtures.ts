/**
 * A small ministry for scoring tests: two teams with identical ranges, a phishing step, a C2
 * step and a manual debrief, built directly as a compiled Plan.
 */
import type {
  ExpectationPlan,
  HostPlan,
  InjectPlan,
  Plan,
  ScoringPlan,
  TeamPlan,
} from '../../src/compiler/plan';
import type { EventPayloads } from '../../src/engine/events/event-types';
import type { ScoringEvent, ScoringPayloads } from '../../src/scoring/scoring-events';

export const HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const C2_DOMAIN = 'update.evil-cdn.example';
export const C2_IP = '203.0.113.7';

function host(
  team: number,
  teamId: string,
  name: string,
  last: number,
  extra: Partial<HostPlan> = {},
): HostPlan {
  const ip = `10.${team}.1.${last}`;
  return {
    name,
    fqdn: `${name}.corp.example`,
    aliases: [],
    team: teamId,
    group: 'hosts',
    role: 'workstation',
    os: 'windows-11',
    fidelity: 'simulated',
    segment: 'staff',
    ip,
    interfaces: [{ segment: 'staff', ip }],
    services: [],
    users: [],
    resources: { memoryMb: 256, cpus: 1, pids: 256 },
    tags: [],
    ...extra,
  };
}

export function team(index: number): TeamPlan {
  const id = `team${index + 1}`;
  const hosts: HostPlan[] = [
    host(index, id, 'dc01', 10, { role: 'domain-controller', services: ['ldap'] }),
    host(index, id, 'fs01', 11, { role: 'file-server', services: ['smb'] }),
    host(index, id, 'web01', 12, { role: 'web', services: ['http'] }),
    host(index, id, 'c2', 99, { role: 'c2', segment: 'internet', aliases: [C2_DOMAIN] }),
  ];
  for (let i = 1; i <= 8; i++) hosts.push(host(index, id, `pc-000${i}`, 100 + i));
  return { id, index, name: `Team ${index + 1}`, segments: [], hosts };
}

export function expectation(
  e: Partial<ExpectationPlan> & Pick<ExpectationPlan, 'id' | 'inject' | 'type'>,
): ExpectationPlan {
  return { title: e.id, points: 100, window: 1800, expiry: 7200, ...e };
}

const INJECTS: InjectPlan[] = [
  {
    id: 'phish',
    title: 'Spear-phishing mail',
    phase: 'initial-access',
    attack: { tactic: 'initial-access', technique: 'T1566.001' },
    trigger: { kind: 'offset', at: 600 },
    action: {
      type: 'mail',
      from: 'hr@evil-mail.example',
      fromName: 'HR',
      to: 'sato.k@corp.example',
      subject: 'Bonus',
      body: '',
      headers: {},
      attachments: [],
    },
    channel: 'telemetry',
    player: '',
    notes: '',
    expected: [],
    expectations: [
      expectation({
        id: 'detect-phish',
        inject: 'phish',
        type: 'detection',
        title: 'Identify the phishing victim',
        match: {
          hosts: ['pc-0001'],
          users: ['u0001'],
          indicators: ['evil-mail.example'],
          techniques: ['T1566.001'],
          require: 3,
        },
      }),
    ],
    indicators: {
      hosts: ['pc-0001'],
      users: ['u0001'],
      domains: ['evil-mail.example'],
      ips: [],
      hashes: [HASH],
    },
    cleanup: [],
  },
  {
    id: 'beacon',
    title: 'C2 beacon over the proxy',
    phase: 'c2',
    attack: { tactic: 'command-and-control', technique: 'T1071.001' },
    trigger: { kind: 'after', inject: 'phish', on: 'success', delay: 600 },
    action: { type: 'beacon', host: 'pc-0001', c2: 'c2', domain: C2_DOMAIN, interval: 60, path: '/' },
    channel: 'telemetry',
    player: '',
    notes: '',
    expected: [],
    expectations: [
      expectation({
        id: 'detect-c2',
        inject: 'beacon',
        type: 'detection',
        points: 50,
        match: { hosts: [], users: [], indicators: [C2_DOMAIN, C2_IP], techniques: [], require: 1 },
      }),
      expectation({
        id: 'isolate-pc',
        inject: 'beacon',
        type: 'containment',
        points: 80,
        check: { isolated: 'pc-0001' },
      }),
      expectation({
        id: 'block-c2',
        inject: 'beacon',
        type: 'containment',
        points: 40,
        check: { blocked: C2_DOMAIN },
      }),
      expectation({
        id: 'escalate',
        inject: 'beacon',
        type: 'report',
        points: 30,
        report: { kind: 'escalation', to: 'management' },
      }),
    ],
    indicators: { hosts: ['pc-0001', 'c2'], users: [], domains: [C2_DOMAIN], ips: [C2_IP], hashes: [] },
    cleanup: [],
  },
  {
    id: 'debrief',
    title: 'Debrief with management',
    phase: 'report',
    trigger: { kind: 'manual' },
    action: {
      type: 'message',
      from: 'management',
      sender: 'Director',
      subject: 'Debrief',
      body: '',
      attachments: [],
    },
    channel: 'message',
    player: '',
    notes: '',
    expected: [],
    expectations: [
      expectation({
        id: 'debrief-quality',
        inject: 'debrief',
        type: 'manual',
        points: 60,
        rubric: [
          { level: 'excellent', points: 60, description: 'clear, complete' },
          { level: 'adequate', points: 30, description: 'gaps' },
          { level: 'poor', points: 0, description: 'unclear' },
        ],
      }),
    ],
    indicators: { hosts: [], users: [], domains: [], ips: [], hashes: [] },
    cleanup: [],
  },
];

export const SCORING: ScoringPlan = {
  decay: { shape: 'linear', floor: 0.5 },
  penalties: {
    falsePositive: 20,
    hint: 25,
    destructive: 100,
    outage: { points: 5, interval: 60, afterFailures: 3 },
  },
  critical: ['dc01'],
  tieBreak: 'time',
  showBreakdownToTeams: true,
  anonymise: false,
};

export function buildPlan(scoring: Partial<ScoringPlan> = {}, teams = 2): Plan {
  return {
    version: 1,
    scenario: {
      id: 'test',
      title: 'Test',
      description: '',
      level: 'A',
      industry: 'ministry',
      language: 'en',
      timezone: 'Asia/Tokyo',
      start: 36000,
      duration: 28800,
      compression: 1,
      seed: 7,
    },
    parameters: {},
    organisation: { name: 'Ministry', domain: 'corp.example', departments: [] },
    network: { domain: 'corp.example', policy: { default: 'allow', rules: [] } },
    users: [
      {
        id: 'u0001',
        name: '佐藤 健一',
        latinName: 'Kenichi Sato',
        account: 'sato.k',
        email: 'sato.k@corp.example',
        department: 'policy',
        title: 'staff',
        host: 'pc-0001',
        workingHours: { start: 0, end: 86400 },
        tags: [],
      },
      {
        id: 'u0002',
        name: '鈴木 花子',
        latinName: 'Hanako Suzuki',
        account: 'suzuki.h',
        email: 'suzuki.h@corp.example',
        department: 'policy',
        title: 'staff',
        host: 'pc-0002',
        workingHours: { start: 0, end: 86400 },
        tags: [],
      },
    ],
    teams: Array.from({ length: teams }, (_, i) => team(i)),
    phases: [
      { id: 'initial-access', title: 'Initial access' },
      { id: 'c2', title: 'Command and control' },
      { id: 'report', title: 'Reporting' },
    ],
    injects: structuredClone(INJECTS),
    scoring: { ...SCORING, ...scoring },
    simulation: { activity: 'low', decoys: [] },
  };
}

type AllPayloads = EventPayloads & ScoringPayloads;

/** Builds events in log order with increasing sequence numbers. */
export class Log {
  readonly events: ScoringEvent[] = [];
  private seq = 0;

  add<K extends keyof AllPayloads>(type: K, team: string | null, at: number, payload: AllPayloads[K]): this {
    this.seq++;
    this.events.push({
      type,
      team,
      payload,
      session: 's1',
      seq: this.seq,
      scenarioTime: at,
      wallTime: at * 1000,
    } as ScoringEvent);
    return this;
  }

  /** The phishing step at T+10m and the C2 step at T+20m, as the engine writes them. */
  steps(teamId: string, phishAt = 600, beaconAt = 1200): this {
    return this.add('attack.step', teamId, phishAt, {
      trackable: `${teamId}-phish`,
      inject: 'phish',
      occurrence: 'o1',
      tactic: 'initial-access',
      technique: 'T1566.001',
      artifacts: {
        hosts: ['pc-0001'],
        accounts: ['sato.k'],
        ips: [],
        domains: ['evil-mail.example'],
        hashes: [HASH],
      },
    }).add('attack.step', teamId, beaconAt, {
      trackable: `${teamId}-beacon`,
      inject: 'beacon',
      occurrence: 'o1',
      tactic: 'command-and-control',
      technique: 'T1071.001',
      artifacts: { hosts: ['pc-0001', 'c2'], accounts: [], ips: [C2_IP], domains: [C2_DOMAIN], hashes: [] },
    });
  }

  report(
    teamId: string,
    at: number,
    fields: Record<string, unknown>,
    kind = 'incident',
    actor = 'alice',
  ): this {
    return this.add('report.submitted', teamId, at, {
      actor,
      kind,
      body: JSON.stringify(fields),
      indicators: [],
    });
  }

  action(teamId: string, at: number, action: string, detail: Record<string, unknown>, actor = 'bob'): this {
    return this.add('team.action', teamId, at, { actor, action, detail });
  }
}
