/**
 * The scenario language, version 1, as a zod schema. It is the single source of truth for the
 * shape of a scenario file: the loader validates against it, the JSON Schema that editors use
 * (`cyrange schema`) is generated from it, and the TypeScript types are inferred from it.
 *
 * The schema is built in two modes. `raw` is what a person may write (numbers may be `${param}`
 * references); `resolved` is what remains after parameters are substituted.
 */
import { z } from 'zod';
import { CLOCK_PATTERN, DURATION_PATTERN, OFFSET_PATTERN } from '../common/duration';
import { CIDR_PATTERN, IPV4_PATTERN } from '../common/ipv4';

export type SchemaMode = 'raw' | 'resolved';

export const HOST_ROLES = [
  'workstation',
  'server',
  'domain-controller',
  'file-server',
  'mail',
  'proxy',
  'dns',
  'web',
  'database',
  'firewall',
  'log-collector',
  'c2',
  'printer',
] as const;
export const ZONES = ['internet', 'dmz', 'servers', 'staff', 'management', 'external'] as const;
export const ATTACK_TACTICS = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
] as const;
export const MESSAGE_SOURCES = [
  'soc',
  'csirt',
  'management',
  'vendor',
  'press',
  'helpdesk',
  'user',
  'police',
  'other',
] as const;
export const TELEMETRY_KINDS = [
  'proxy',
  'dns',
  'logon',
  'logoff',
  'logon-failure',
  'process',
  'network',
  'file',
  'mail',
  'account',
  'group',
  'share',
] as const;

export const ID_PATTERN = '^[a-z0-9][a-z0-9-]*$';
export const HOST_NAME_PATTERN = '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$';
const TECHNIQUE_PATTERN = '^T\\d{4}(\\.\\d{3})?$';
const DOMAIN_PATTERN = '^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}$';

/**
 * Builds every schema for one mode; in raw mode `n()` also accepts text with a `${param}`
 * reference where a number or a patterned string (id, host name, domain, time…) goes, so editors
 * do not flag values that parameters will fill in.
 */
export function buildScenarioSchema(mode: SchemaMode) {
  const paramRef = z
    .string()
    .regex(/\$\{[a-zA-Z_][\w-]*\}/, 'text with a parameter reference like `$' + '{staff}`');
  // The raw variant only feeds the editor JSON Schema, so its static type can stay the resolved one.
  const n = <T extends z.ZodType>(s: T): T => (mode === 'raw' ? (z.union([s, paramRef]) as unknown as T) : s);

  const id = n(z.string().regex(new RegExp(ID_PATTERN), 'ids use lowercase letters, digits and dashes'));
  const hostName = n(
    z.string().regex(new RegExp(HOST_NAME_PATTERN), 'host names use lowercase letters, digits and dashes'),
  );
  const duration = n(
    z.union([
      z.string().regex(new RegExp(DURATION_PATTERN), 'a duration like `90s`, `30m`, `2h` or `1h30m`'),
      z.number().nonnegative(),
    ]),
  ).describe('A duration: `90s`, `30m`, `2h`, `1h30m`, `1d`, or a number of seconds.');
  const offset = n(
    z.string().regex(new RegExp(OFFSET_PATTERN), 'an offset from the start like `+1h30m`'),
  ).describe('Time after the exercise starts, e.g. `+1h30m`.');
  const clock = n(z.string().regex(new RegExp(CLOCK_PATTERN), 'a clock time like `13:30`')).describe(
    'Scenario clock time on the exercise day, e.g. `13:30`.',
  );
  const ip = n(z.string().regex(new RegExp(IPV4_PATTERN), 'an IPv4 address like `10.100.20.10`'));
  const cidr = n(z.string().regex(new RegExp(CIDR_PATTERN), 'a CIDR block like `10.100.10.0/24`'));
  const domain = n(
    z.string().regex(new RegExp(DOMAIN_PATTERN), 'a lowercase DNS name like `corp.example.go.jp`'),
  );
  const technique = n(
    z.string().regex(new RegExp(TECHNIQUE_PATTERN), 'an ATT&CK technique id like `T1566.001`'),
  );
  const text = z.string();
  const int = (min: number, max: number) => n(z.number().int().min(min).max(max));
  const scalar = z.union([z.string(), z.number(), z.boolean()]);
  const when = z
    .record(z.string(), z.union([scalar, z.array(scalar)]))
    .describe('Keep this entry only when every named parameter has the value (or one of the values) given.');

  const metadata = z.strictObject({
    id: id.describe('Short id of the scenario, used in container and network names.'),
    title: text,
    description: text.optional(),
    level: z
      .string()
      .default('B')
      .describe('Course level: A (beginner), B (intermediate), C (advanced), or free text.'),
    industry: z
      .string()
      .default('ministry')
      .describe('ministry, city-hall, finance, transport, medical, education…'),
    language: z.enum(['ja', 'en']).default('en').describe('Language of generated names and player text.'),
    timezone: z.string().default('UTC').describe('IANA time zone of the scenario clock, e.g. `Asia/Tokyo`.'),
    start: clock.default('10:00').describe('Scenario clock time when the exercise starts (T+0).'),
    duration: duration.describe('Length of the exercise in scenario time, e.g. `8h`.'),
    compression: n(z.number().positive().max(3600))
      .default(1)
      .describe('Scenario seconds per wall-clock second: 6 plays one scenario hour in ten minutes.'),
    seed: int(0, 2 ** 31 - 1)
      .default(1)
      .describe('Seed for generated names and simulated activity.'),
    authors: z.array(text).optional(),
  });

  const parameter = z.strictObject({
    default: scalar,
    values: z.array(scalar).optional().describe('Allowed values; `--set` outside them is an error.'),
    description: text.optional(),
  });

  const department = z.strictObject({
    id,
    name: text,
    headcount: int(0, 100000),
    segment: id.describe('Staff segment where this department sits.'),
    workingHours: z
      .string()
      .regex(/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/, 'working hours like `08:30-17:15`')
      .optional(),
    when: when.optional(),
  });

  const person = z.strictObject({
    id: id.describe('Id used to refer to this person elsewhere (e.g. `victim`).'),
    name: text.describe('Display name in the scenario language.'),
    latinName: text.optional(),
    account: z
      .string()
      .regex(/^[a-z][a-z0-9._-]*$/, 'accounts use lowercase letters, digits, `.`, `_` and `-`'),
    department: id,
    title: text.optional(),
    host: hostName.optional().describe('Workstation this person uses (a generated or named host).'),
    tags: z.array(z.string()).optional(),
    when: when.optional(),
  });

  const organisation = z.strictObject({
    name: text,
    domain: domain.describe('Mail and directory domain, e.g. `mof.example.go.jp`.'),
    departments: z.array(department).min(1),
    accounts: z
      .strictObject({
        pattern: z
          .string()
          .default('{given}.{family}')
          .describe('Account name pattern using {given}, {family}, {g} (first letter of given), {n}.'),
      })
      .optional(),
    people: z.array(person).default([]).describe('Named key people: the victim, admins, executives.'),
  });

  const segment = z.strictObject({
    id,
    title: text.optional(),
    zone: z.enum(ZONES),
    cidr: cidr.describe("The segment's block as team 1 sees it; other teams get it shifted."),
    teamStride: int(8, 30)
      .optional()
      .describe('Overrides network.teamStride for this segment (e.g. 24 for the fake internet).'),
    gateway: ip.optional().describe("The firewall's address here (default: last usable address)."),
    when: when.optional(),
  });

  const portSpec = z.union([
    z.number().int().min(0).max(65535),
    z.string().regex(/^(any|\d{1,5}(-\d{1,5})?)$/, 'a port, a range like `8000-8099`, or `any`'),
  ]);
  const segmentSelector = z
    .union([z.string(), z.array(z.string())])
    .describe('Segment ids, `zone:<zone>`, or `*` for every segment.');
  const rule = z.strictObject({
    from: segmentSelector,
    to: segmentSelector,
    ports: z.array(portSpec).default(['any']),
    proto: z.enum(['tcp', 'udp', 'any']).default('tcp'),
    action: z.enum(['allow', 'deny']).default('allow'),
    note: text.optional(),
  });

  const network = z.strictObject({
    domain: domain.describe('DNS domain of the internal network, e.g. `corp.mof.example`.'),
    teamStride: int(8, 30)
      .default(16)
      .describe("Each team's copy is shifted by one block of this prefix length (16: one /16 per team)."),
    segments: z.array(segment).min(1),
    egress: z
      .strictObject({ proxy: hostName, port: int(1, 65535).default(3128) })
      .optional()
      .describe('All outbound web traffic leaves through this proxy.'),
    firewall: z
      .strictObject({ name: hostName.default('fw'), fidelity: z.enum(['live', 'simulated']).default('live') })
      .optional()
      .describe('The firewall/router between segments (one per team, an interface in every segment).'),
    policy: z
      .strictObject({ default: z.enum(['allow', 'deny']).default('deny'), rules: z.array(rule).default([]) })
      .optional(),
  });

  const resources = z.strictObject({
    memory: z
      .string()
      .regex(/^\d+[mg]$/, 'memory like `256m` or `1g`')
      .optional(),
    cpus: n(z.number().positive().max(16)).optional(),
    pids: int(16, 65536).optional(),
  });

  const host = z.strictObject({
    name: z
      .string()
      .describe(
        'Host name, or a pattern with `{n}` / `{n:04}` when `count` is given (e.g. `pc-pol-{n:04}`).',
      ),
    count: int(1, 100000).optional().describe('Makes this entry a group of hosts named by the pattern.'),
    group: id.optional().describe('Group id (default: derived from the name).'),
    role: z.enum(HOST_ROLES),
    os: z.string().optional(),
    segment: id,
    department: id.optional().describe('Department whose staff use these hosts; each workstation gets one.'),
    ip: ip.optional().describe('Fixed address as team 1 sees it (single hosts only).'),
    fidelity: z.enum(['live', 'simulated']).default('simulated'),
    services: z.array(z.string()).default([]),
    aliases: z.array(domain).default([]).describe("Extra DNS names, e.g. the C2 server's fake domain."),
    resources: resources.optional(),
    tags: z.array(z.string()).default([]),
    when: when.optional(),
  });

  const teams = z.strictObject({
    count: int(1, 100).default(2),
    names: z.array(z.string()).optional().describe('Display names, in team order.'),
  });

  const attachment = z
    .strictObject({
      name: z.string().regex(/^[^/\\]+$/, 'a file name without folders'),
      contentType: z.string().optional(),
      content: text.optional(),
      file: z.string().optional().describe('Path relative to the scenario file.'),
    })
    .refine((a) => (a.content === undefined) !== (a.file === undefined), {
      message: 'give exactly one of `content` or `file`',
    });

  const telemetryEvent = z.strictObject({
    kind: z.enum(TELEMETRY_KINDS),
    host: hostName,
    user: id.optional(),
    offset: duration.optional().describe('When, after the inject fires (default 0).'),
    count: int(1, 100000).default(1),
    every: duration.optional(),
    fields: z.record(z.string(), scalar).default({}).describe('ECS fields, e.g. `destination.domain`.'),
  });

  const action = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('message'),
      from: z.enum(MESSAGE_SOURCES),
      sender: text.optional().describe('Name shown as the sender, e.g. `SOC 当番 田中`.'),
      subject: text,
      body: text,
      attachments: z.array(attachment).default([]),
    }),
    z.strictObject({
      type: z.literal('mail'),
      from: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'a mail address'),
      fromName: text.optional(),
      to: id.describe('Person id of the recipient.'),
      subject: text,
      body: text,
      headers: z.record(z.string(), z.string()).default({}),
      attachments: z.array(attachment).default([]),
    }),
    z.strictObject({
      type: z.literal('exec'),
      host: hostName,
      command: text,
      user: z.string().default('root'),
      background: z.boolean().default(false),
      timeout: duration.optional(),
    }),
    z.strictObject({
      type: z.literal('file'),
      host: hostName,
      path: z.string().regex(/^\//, 'an absolute path'),
      content: text,
      mode: z
        .string()
        .regex(/^0?[0-7]{3}$/, 'a mode like `0644`')
        .default('0644'),
    }),
    z.strictObject({
      type: z.literal('fetch'),
      host: hostName,
      path: z.string().regex(/^\//, 'an absolute path'),
    }),
    z.strictObject({
      type: z.literal('beacon'),
      host: hostName.describe('The infected host that calls out.'),
      c2: hostName.describe('The C2 server it calls.'),
      domain: domain.describe("The domain the beacon asks for (one of the C2 host's aliases)."),
      interval: duration,
      path: z.string().default('/'),
    }),
    z.strictObject({ type: z.literal('telemetry'), events: z.array(telemetryEvent).min(1) }),
  ]);

  const condition: z.ZodType<unknown> = z.lazy(() =>
    z.union([
      z.strictObject({ expectation: id, is: z.enum(['met', 'unmet', 'failed']) }),
      z.strictObject({ inject: id, is: z.enum(['fired', 'succeeded', 'failed', 'not-fired']) }),
      z.strictObject({ all: z.array(condition).min(1) }),
      z.strictObject({ any: z.array(condition).min(1) }),
      z.strictObject({ not: condition }),
    ]),
  );

  const trigger = z
    .strictObject({
      at: z
        .union([offset, clock])
        .optional()
        .describe('`+1h30m` after the start, or a clock time like `13:30`.'),
      cron: z.string().optional().describe('Five-field cron on the scenario clock, e.g. `*/10 * * * *`.'),
      from: offset.optional(),
      until: offset.optional(),
      manual: z.literal(true).optional().describe('Fired or skipped by the controller.'),
      after: id.optional().describe('Another inject this one follows.'),
      on: z.enum(['success', 'failure', 'completion', 'expiry']).optional(),
      delay: duration.optional(),
      if: condition.optional().describe("A condition on the team's state, checked when the trigger is due."),
    })
    .describe('Exactly one of `at`, `cron`, `manual` or `after`.');

  const check = z.union([
    z.strictObject({ isolated: hostName }),
    z.strictObject({ blocked: z.string() }),
    z.strictObject({ accountDisabled: id }),
    z.strictObject({ beaconStopped: hostName }),
    z.strictObject({ processKilled: z.strictObject({ host: hostName, name: z.string() }) }),
  ]);

  const expectation = z.strictObject({
    id,
    type: z.enum(['detection', 'containment', 'report', 'manual']),
    title: text,
    points: int(0, 100000),
    window: duration.optional().describe('Full points when met this soon after the attack step.'),
    expiry: duration.optional().describe('Nothing is earned after this; the expectation fails.'),
    match: z
      .strictObject({
        hosts: z.array(hostName).default([]),
        users: z.array(id).default([]),
        indicators: z.array(z.string()).default([]),
        techniques: z.array(technique).default([]),
        require: int(1, 1000).optional().describe('How many listed items a report must name (default: all).'),
      })
      .optional(),
    check: check.optional(),
    report: z
      .strictObject({
        kind: z.enum(['incident', 'escalation', 'situation']),
        to: z.enum(MESSAGE_SOURCES).optional(),
      })
      .optional(),
    rubric: z
      .array(z.strictObject({ level: z.string(), points: int(0, 100000), description: text }))
      .optional(),
    when: when.optional(),
  });

  const inject = z.strictObject({
    id,
    title: text,
    phase: id,
    attack: z.strictObject({ tactic: z.enum(ATTACK_TACTICS), technique }).optional(),
    trigger,
    action,
    player: text.optional().describe('What the team is told (shown in their inbox or feed).'),
    notes: text.optional().describe('For controllers only.'),
    expected: z.array(text).default([]).describe('What a good team does now (for controllers and review).'),
    expectations: z.array(expectation).default([]),
    indicators: z
      .strictObject({
        domains: z.array(z.string()).default([]),
        ips: z.array(z.string()).default([]),
        hashes: z.array(z.string()).default([]),
        accounts: z.array(z.string()).default([]),
      })
      .optional()
      .describe('Extra ground truth this step leaves behind.'),
    cleanup: z.array(action).default([]),
    when: when.optional(),
  });

  const scoring = z.strictObject({
    window: duration.default('1h').describe('Default full-points window of expectations.'),
    expiry: duration.default('4h').describe('Default expiry of expectations.'),
    decay: z
      .strictObject({
        shape: z.enum(['linear', 'step', 'none']).default('linear'),
        floor: n(z.number().min(0).max(1)).default(0.25),
      })
      .default({ shape: 'linear', floor: 0.25 }),
    penalties: z
      .strictObject({
        falsePositive: int(0, 100000).default(20),
        hint: int(0, 100000).default(25),
        destructive: int(0, 100000).default(100),
        outage: z
          .strictObject({
            points: int(0, 100000).default(5),
            interval: duration.default('1m'),
            afterFailures: int(1, 100).default(3),
          })
          .default({ points: 5, interval: '1m', afterFailures: 3 }),
      })
      .default({
        falsePositive: 20,
        hint: 25,
        destructive: 100,
        outage: { points: 5, interval: '1m', afterFailures: 3 },
      }),
    critical: z.array(hostName).default([]).describe('Hosts whose isolation is a destructive action.'),
    freeze: offset.optional(),
    tieBreak: z.enum(['time', 'none']).default('time'),
    showBreakdownToTeams: z.boolean().default(true),
    anonymise: z.boolean().default(false),
  });

  const simulation = z.strictObject({
    activity: z.enum(['low', 'normal', 'high']).default('normal'),
    decoys: z.array(telemetryEvent).default([]),
  });

  // SOC/IDS detection rules over a team's telemetry: a closed set of matchers, never code.
  const fieldName = z
    .string()
    .regex(/^[@A-Za-z][A-Za-z0-9_.@-]{0,63}$/, 'an ECS field name like `destination.domain`');
  const matchValue = z.union([z.string().max(256), z.number(), z.boolean()]);
  const detectionCondition = z
    .strictObject({
      field: fieldName,
      equals: matchValue.optional(),
      in: z.array(matchValue).min(1).max(200).optional(),
      contains: z.string().min(1).max(256).optional(),
      cidr: cidr.optional(),
      regex: z.string().min(1).max(200).optional().describe('A regular expression (at most 200 characters).'),
      not: z.boolean().default(false).describe('Inverts the condition.'),
    })
    .describe('Exactly one of equals, in, contains, cidr, regex.');
  const detection = z.strictObject({
    id,
    title: text,
    severity: z.enum(['low', 'medium', 'high', 'critical']).default('medium'),
    source: z.enum(['soc', 'ids']).default('soc').describe('Who raises it: the outsourced SOC or the IDS.'),
    description: text.optional(),
    match: z.array(detectionCondition).min(1).max(16).describe('Every condition must hold.'),
    threshold: z
      .strictObject({
        count: int(1, 10000).default(1),
        within: duration.default('5m'),
        by: z.array(fieldName).max(3).default([]).describe('Count per value of these fields (host, user…).'),
      })
      .default({ count: 1, within: '5m', by: [] }),
  });

  const scenario = z.strictObject({
    $schema: z.string().optional(),
    cyrange: z.literal(1).describe('Scenario language version.'),
    include: z.array(z.string()).optional().describe('Other scenario fragments merged into this one.'),
    metadata,
    parameters: z.record(z.string().regex(/^[a-zA-Z_][\w-]*$/), parameter).default({}),
    organisation,
    network,
    hosts: z.array(host).default([]),
    teams: teams.default({ count: 2 }),
    msel: z
      .strictObject({
        phases: z.array(z.strictObject({ id, title: text, when: when.optional() })).min(1),
        injects: z.array(inject).default([]),
      })
      .optional(),
    scoring: scoring.default(() => scoring.parse({})),
    simulation: simulation.default({ activity: 'normal', decoys: [] }),
    detections: z
      .array(detection)
      .max(200)
      .default([])
      .describe("SOC/IDS alert rules over each team's telemetry."),
  });

  return { scenario, inject, host, action, expectation, trigger };
}

const resolved = buildScenarioSchema('resolved');
export const ScenarioSchema = resolved.scenario;
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioHost = Scenario['hosts'][number];
export type ScenarioInject = NonNullable<Scenario['msel']>['injects'][number];
export type ScenarioAction = ScenarioInject['action'];
export type ScenarioExpectation = ScenarioInject['expectations'][number];
export type ScenarioTrigger = ScenarioInject['trigger'];
export type ScenarioDetection = Scenario['detections'][number];
