/**
 * The compiled plan: what a scenario means for every team, fully expanded.
 * Produced by the pure compiler (src/compiler/compile.ts) and consumed by the range runtimes,
 * the exercise engine and scoring. Everything here is plain data (JSON-serialisable), so it can be
 * printed, stored and compared byte for byte.
 */

export type Fidelity = 'live' | 'simulated';

export type HostRole =
  | 'workstation'
  | 'server'
  | 'domain-controller'
  | 'file-server'
  | 'mail'
  | 'proxy'
  | 'dns'
  | 'web'
  | 'database'
  | 'firewall'
  | 'log-collector'
  | 'c2'
  | 'printer';

export type Zone = 'internet' | 'dmz' | 'servers' | 'staff' | 'management' | 'external';

/** A segment of one team's range. `cidr` is already shifted into the team's address block. */
export interface SegmentPlan {
  id: string;
  title: string;
  zone: Zone;
  cidr: string;
  /** Address the team's firewall holds in this segment; hosts use it as their default route. */
  gateway: string;
  /** Address reserved for the container engine's bridge (never given to a host). */
  bridge: string;
}

export interface InterfacePlan {
  segment: string;
  ip: string;
}

export interface HostPlan {
  /** Host name, identical in every team (e.g. `pc-pol-0042`). */
  name: string;
  /** Fully qualified DNS name inside the range. */
  fqdn: string;
  /** Extra DNS names this host answers to (e.g. the C2's fake domain). */
  aliases: string[];
  team: string;
  /** Host group (scenario entry) it came from. */
  group: string;
  role: HostRole;
  os: string;
  fidelity: Fidelity;
  /** First interface's segment and address; multi-homed hosts (the firewall) list all in `interfaces`. */
  segment: string;
  ip: string;
  interfaces: InterfacePlan[];
  department?: string;
  services: string[];
  /** Ids of the users who work on this host (workstations: its owner). */
  users: string[];
  resources: { memoryMb: number; cpus: number; pids: number };
  tags: string[];
}

export interface UserPlan {
  id: string;
  /** Display name in the scenario's language (e.g. `佐藤 健一`). */
  name: string;
  /** Romanised name (e.g. `Kenichi Sato`). */
  latinName: string;
  account: string;
  email: string;
  department: string;
  title: string;
  /** Primary workstation, when one was assigned. */
  host?: string;
  workingHours: { start: number; end: number };
  tags: string[];
}

export interface TeamPlan {
  id: string;
  index: number;
  name: string;
  /** All addresses of this team's copy lie in these blocks; no other team uses them. */
  segments: SegmentPlan[];
  hosts: HostPlan[];
}

export type TriggerPlan =
  | { kind: 'offset'; at: number }
  | { kind: 'cron'; expression: string; from: number; until: number }
  | { kind: 'manual' }
  | { kind: 'after'; inject: string; on: 'success' | 'failure' | 'completion' | 'expiry'; delay: number };

/** A closed set of conditions on a team's state, evaluated per team by the engine; never code. */
export type ConditionPlan =
  | { expectation: string; is: 'met' | 'unmet' | 'failed' }
  | { inject: string; is: 'fired' | 'succeeded' | 'failed' | 'not-fired' }
  | { all: ConditionPlan[] }
  | { any: ConditionPlan[] }
  | { not: ConditionPlan };

export interface Attachment {
  name: string;
  contentType: string;
  content: string;
}

export type TelemetryKind =
  | 'proxy'
  | 'dns'
  | 'logon'
  | 'logoff'
  | 'logon-failure'
  | 'process'
  | 'network'
  | 'file'
  | 'mail'
  | 'account'
  | 'group'
  | 'share';

export interface TelemetryArtifactPlan {
  kind: TelemetryKind;
  host: string;
  user?: string;
  /** Seconds after the inject fires. */
  offset: number;
  count: number;
  every: number;
  /** Elastic Common Schema fields to set (e.g. `destination.domain`). */
  fields: Record<string, string | number | boolean>;
}

export type ActionPlan =
  | {
      type: 'message';
      from: 'soc' | 'csirt' | 'management' | 'vendor' | 'press' | 'helpdesk' | 'user' | 'police' | 'other';
      sender: string;
      subject: string;
      body: string;
      attachments: Attachment[];
    }
  | {
      type: 'mail';
      from: string;
      fromName: string;
      to: string;
      subject: string;
      body: string;
      headers: Record<string, string>;
      attachments: Attachment[];
    }
  | { type: 'exec'; host: string; command: string; user: string; background: boolean; timeout: number }
  | { type: 'file'; host: string; path: string; content: string; mode: string }
  | { type: 'fetch'; host: string; path: string }
  | { type: 'beacon'; host: string; c2: string; domain: string; interval: number; path: string }
  | { type: 'telemetry'; events: TelemetryArtifactPlan[] };

export type ExpectationKind = 'detection' | 'containment' | 'report' | 'manual';

export type ContainmentCheck =
  | { isolated: string }
  | { blocked: string }
  | { accountDisabled: string }
  | { beaconStopped: string }
  | { processKilled: { host: string; name: string } };

export interface ExpectationPlan {
  id: string;
  inject: string;
  type: ExpectationKind;
  title: string;
  points: number;
  /** Seconds after the attack step during which full points are earned. */
  window: number;
  /** Seconds after the attack step after which nothing is earned and the expectation fails. */
  expiry: number;
  match?: {
    hosts: string[];
    users: string[];
    indicators: string[];
    techniques: string[];
    /** How many of the listed items a report must name for full credit; fewer give partial credit. */
    require: number;
  };
  check?: ContainmentCheck;
  report?: { kind: 'incident' | 'escalation' | 'situation'; to?: string };
  rubric?: { level: string; points: number; description: string }[];
}

export interface InjectPlan {
  id: string;
  title: string;
  phase: string;
  attack?: { tactic: string; technique: string };
  trigger: TriggerPlan;
  condition?: ConditionPlan;
  action: ActionPlan;
  /** The channel the team perceives it through (derived from the action and fidelity). */
  channel: 'live' | 'telemetry' | 'message';
  player: string;
  notes: string;
  expected: string[];
  expectations: ExpectationPlan[];
  /** Ground truth of what this step touched, for scoring and review. */
  indicators: { hosts: string[]; users: string[]; domains: string[]; ips: string[]; hashes: string[] };
  /** Undo steps, run in reverse order at the end of the exercise. */
  cleanup: ActionPlan[];
}

export interface PolicyRulePlan {
  from: string[];
  to: string[];
  proto: 'tcp' | 'udp' | 'any';
  /** Port ranges; `[[0, 65535]]` for any. */
  ports: [number, number][];
  action: 'allow' | 'deny';
}

export interface ScoringPlan {
  decay: { shape: 'linear' | 'step' | 'none'; floor: number };
  penalties: {
    falsePositive: number;
    hint: number;
    destructive: number;
    outage: { points: number; interval: number; afterFailures: number };
  };
  /** Critical hosts whose isolation counts as a destructive action. */
  critical: string[];
  freeze?: number;
  tieBreak: 'time' | 'none';
  showBreakdownToTeams: boolean;
  anonymise: boolean;
}

export interface Plan {
  /** Format version of this plan object. */
  version: 1;
  scenario: {
    id: string;
    title: string;
    description: string;
    level: string;
    industry: string;
    language: 'ja' | 'en';
    timezone: string;
    /** Scenario clock time of T+0 as seconds after midnight (e.g. 10:00 → 36000). */
    start: number;
    /** Exercise length in scenario seconds. */
    duration: number;
    /** Scenario seconds per wall-clock second. */
    compression: number;
    seed: number;
  };
  parameters: Record<string, string | number | boolean>;
  organisation: {
    name: string;
    domain: string;
    departments: { id: string; name: string; headcount: number; segment: string }[];
  };
  network: {
    domain: string;
    egress?: { proxy: string; port: number };
    policy: { default: 'allow' | 'deny'; rules: PolicyRulePlan[] };
  };
  users: UserPlan[];
  teams: TeamPlan[];
  phases: { id: string; title: string }[];
  injects: InjectPlan[];
  scoring: ScoringPlan;
  simulation: { activity: 'low' | 'normal' | 'high'; decoys: TelemetryArtifactPlan[] };
  /** SOC/IDS alert rules over each team's telemetry (absent in plans written before them). */
  detections?: DetectionPlan[];
}

/** One condition of a detection: exactly one operator on one ECS field. */
export interface DetectionConditionPlan {
  field: string;
  equals?: string | number | boolean;
  in?: (string | number | boolean)[];
  contains?: string;
  cidr?: string;
  regex?: string;
  not: boolean;
}

export interface DetectionPlan {
  id: string;
  title: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  source: 'soc' | 'ids';
  description?: string;
  match: DetectionConditionPlan[];
  /** At least `count` matching records within `within` scenario seconds, per value of `by`. */
  threshold: { count: number; within: number; by: string[] };
}
