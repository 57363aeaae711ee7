/**
 * Programmatic plans for engine tests and the simulation benchmark, built directly as a compiled
 * `Plan` so the engine can be tested without the scenario compiler.
 */
import type { HostPlan, InjectPlan, Plan, TeamPlan, UserPlan } from '../../src/compiler/plan';

const DEPARTMENTS = [
  { id: 'general', name: 'General Affairs', hours: { start: 8.5 * 3600, end: 17.5 * 3600 } },
  { id: 'finance', name: 'Finance', hours: { start: 9 * 3600, end: 18 * 3600 } },
  { id: 'policy', name: 'Policy', hours: { start: 9.5 * 3600, end: 20 * 3600 } },
  { id: 'it', name: 'IT', hours: { start: 10 * 3600, end: 19 * 3600 } },
];

const SERVERS: { name: string; role: HostPlan['role']; services: string[] }[] = [
  { name: 'dc01', role: 'domain-controller', services: ['ldap', 'kerberos', 'dns'] },
  { name: 'fs01', role: 'file-server', services: ['smb'] },
  { name: 'mail01', role: 'mail', services: ['smtp', 'imap'] },
  { name: 'proxy01', role: 'proxy', services: ['squid'] },
  { name: 'web01', role: 'web', services: ['http'] },
];

function pad(n: number, w = 4): string {
  return String(n).padStart(w, '0');
}

function host(_team: number, teamId: string, name: string, ip: string, extra: Partial<HostPlan>): HostPlan {
  return {
    name,
    fqdn: `${name}.corp.example`,
    aliases: [],
    team: teamId,
    group: extra.role === 'workstation' ? 'workstations' : 'servers',
    role: 'workstation',
    os: extra.role === 'workstation' ? 'windows-11' : 'windows-server-2022',
    fidelity: 'simulated',
    segment: extra.role === 'workstation' ? 'staff' : 'servers',
    ip,
    interfaces: [{ segment: extra.role === 'workstation' ? 'staff' : 'servers', ip }],
    services: [],
    users: [],
    resources: { memoryMb: 256, cpus: 1, pids: 256 },
    tags: [],
    ...extra,
  };
}

export function workstationIp(team: number, i: number): string {
  return `10.${team}.${16 + Math.floor(i / 250)}.${10 + (i % 250)}`;
}

export function buildUsers(workstations: number): UserPlan[] {
  const users: UserPlan[] = [];
  for (let i = 0; i < workstations; i++) {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    users.push({
      id: `u${pad(i)}`,
      name: `User ${i}`,
      latinName: `User ${i}`,
      account: `user${pad(i)}`,
      email: `user${pad(i)}@corp.example`,
      department: d.id,
      title: 'staff',
      host: `pc-${pad(i)}`,
      workingHours: d.hours,
      tags: [],
    });
  }
  return users;
}

export function buildTeam(index: number, users: UserPlan[]): TeamPlan {
  const id = `team${index + 1}`;
  const hosts: HostPlan[] = SERVERS.map((s, k) =>
    host(index, id, s.name, `10.${index}.1.${10 + k}`, { role: s.role, services: s.services }),
  );
  users.forEach((u, i) => {
    hosts.push(
      host(index, id, u.host!, workstationIp(index, i), {
        role: 'workstation',
        department: u.department,
        users: [u.id],
      }),
    );
  });
  return {
    id,
    index,
    name: `Team ${index + 1}`,
    segments: [
      {
        id: 'servers',
        title: 'Servers',
        zone: 'servers',
        cidr: `10.${index}.1.0/24`,
        gateway: `10.${index}.1.1`,
        bridge: `10.${index}.1.254`,
      },
      {
        id: 'staff',
        title: 'Staff',
        zone: 'staff',
        cidr: `10.${index}.16.0/20`,
        gateway: `10.${index}.16.1`,
        bridge: `10.${index}.31.254`,
      },
    ],
    hosts,
  };
}

function baseInject(id: string, extra: Partial<InjectPlan>): InjectPlan {
  return {
    id,
    title: id,
    phase: 'p1',
    trigger: { kind: 'offset', at: 0 },
    action: { type: 'message', from: 'soc', sender: 'SOC', subject: id, body: `${id} body`, attachments: [] },
    channel: 'message',
    player: '',
    notes: '',
    expected: [],
    expectations: [],
    indicators: { hosts: [], users: [], domains: [], ips: [], hashes: [] },
    cleanup: [],
    ...extra,
  };
}

/** The storyline used across engine tests: one inject per trigger kind and a condition branch. */
export function storyInjects(): InjectPlan[] {
  return [
    baseInject('phish-mail', {
      trigger: { kind: 'offset', at: 600 },
      attack: { tactic: 'initial-access', technique: 'T1566.001' },
      action: {
        type: 'message',
        from: 'user',
        sender: 'user0001',
        subject: 'Suspicious mail',
        body: 'I opened an invoice attachment',
        attachments: [
          { name: 'invoice.eml', contentType: 'message/rfc822', content: 'From: a@evil.example' },
        ],
      },
      indicators: {
        hosts: ['pc-0001'],
        users: ['u0001'],
        domains: ['evil.example'],
        ips: [],
        hashes: ['abc123'],
      },
      expectations: [
        {
          id: 'detect-phish',
          inject: 'phish-mail',
          type: 'detection',
          title: 'detect',
          points: 10,
          window: 1800,
          expiry: 3600,
        },
      ],
    }),
    baseInject('c2-traffic', {
      trigger: { kind: 'offset', at: 1200 },
      channel: 'telemetry',
      attack: { tactic: 'command-and-control', technique: 'T1071.001' },
      action: {
        type: 'telemetry',
        events: [
          {
            kind: 'proxy',
            host: 'pc-0001',
            user: 'u0001',
            offset: 0,
            count: 3,
            every: 60,
            fields: {
              'destination.domain': 'c2.evil.example',
              'destination.ip': '203.0.113.50',
              'url.path': '/beacon',
            },
          },
          {
            kind: 'process',
            host: 'pc-0001',
            user: 'u0001',
            offset: 5,
            count: 1,
            every: 0,
            fields: { 'process.command_line': 'powershell -enc SQBFAFgA', 'process.hash.sha256': 'abc123' },
          },
        ],
      },
      indicators: {
        hosts: ['pc-0001'],
        users: ['u0001'],
        domains: ['c2.evil.example'],
        ips: ['203.0.113.50'],
        hashes: ['abc123'],
      },
    }),
    baseInject('beacon', {
      trigger: { kind: 'cron', expression: '*/10 * * * *', from: 1200, until: 3600 },
      channel: 'telemetry',
      condition: { expectation: 'contain-pc', is: 'unmet' },
      action: {
        type: 'telemetry',
        events: [
          {
            kind: 'proxy',
            host: 'pc-0001',
            user: 'u0001',
            offset: 0,
            count: 1,
            every: 0,
            fields: { 'destination.domain': 'c2.evil.example' },
          },
        ],
      },
    }),
    baseInject('soc-call', { trigger: { kind: 'after', inject: 'c2-traffic', on: 'success', delay: 300 } }),
    baseInject('lateral', {
      trigger: { kind: 'offset', at: 7200 },
      condition: { not: { expectation: 'contain-pc', is: 'met' } },
    }),
    baseInject('press', { trigger: { kind: 'manual' } }),
    baseInject('escalate', { trigger: { kind: 'after', inject: 'phish-mail', on: 'expiry', delay: 0 } }),
  ];
}

export interface FixtureOptions {
  teams: number;
  workstations: number;
  injects?: InjectPlan[];
  compression?: number;
  seed?: number;
}

export function buildPlan(opts: FixtureOptions): Plan {
  const users = buildUsers(opts.workstations);
  const teams = Array.from({ length: opts.teams }, (_, i) => buildTeam(i, users));
  return {
    version: 1,
    scenario: {
      id: 'fixture',
      title: 'Fixture exercise',
      description: '',
      level: 'B',
      industry: 'ministry',
      language: 'en',
      timezone: 'Asia/Tokyo',
      start: 10 * 3600,
      duration: 8 * 3600,
      compression: opts.compression ?? 1,
      seed: opts.seed ?? 42,
    },
    parameters: {},
    organisation: {
      name: 'Corp',
      domain: 'corp.example',
      departments: DEPARTMENTS.map((d) => ({ id: d.id, name: d.name, headcount: 0, segment: 'staff' })),
    },
    network: {
      domain: 'corp.example',
      egress: { proxy: 'proxy01', port: 3128 },
      policy: { default: 'deny', rules: [] },
    },
    users,
    teams,
    phases: [{ id: 'p1', title: 'Phase 1' }],
    injects: opts.injects ?? storyInjects(),
    scoring: {
      decay: { shape: 'linear', floor: 0 },
      penalties: {
        falsePositive: 0,
        hint: 0,
        destructive: 0,
        outage: { points: 0, interval: 60, afterFailures: 3 },
      },
      critical: [],
      tieBreak: 'time',
      showBreakdownToTeams: true,
      anonymise: false,
    },
    simulation: {
      activity: 'normal',
      decoys: [
        {
          kind: 'process',
          host: 'pc-0007',
          offset: 900,
          count: 4,
          every: 1800,
          fields: {
            'process.command_line': 'certutil -urlcache -f https://updates.vendor.example/patch.cab',
          },
        },
      ],
    },
  };
}

export const smallPlan = (o: Partial<FixtureOptions> = {}) => buildPlan({ teams: 2, workstations: 20, ...o });
export const largePlan = (o: Partial<FixtureOptions> = {}) =>
  buildPlan({ teams: 20, workstations: 3000, ...o });
