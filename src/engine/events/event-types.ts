/**
 * Every fact of an exercise, as one discriminated union. The event log stores these and the
 * session state is a fold over them (src/engine/state/session-state.ts); nothing else is truth.
 * Payloads are plain JSON so a log can be exported, replayed and diffed.
 */

/** Ground truth of one attack step: what it touched, for scoring and after-action review. */
export interface AttackArtifacts {
  hosts: string[];
  accounts: string[];
  ips: string[];
  domains: string[];
  hashes: string[];
}

export type SkipReason = 'condition' | 'missed' | 'controller' | 'stopped';

export interface EventPayloads {
  'session.created': {
    scenario: string;
    title: string;
    teams: string[];
    /** Unix ms of scenario T+0 on the scenario's calendar (for ECS `@timestamp`). */
    scenarioEpochMs: number;
    compression: number;
    seed: number;
  };
  'team.joined': { name: string; members: string[] };
  'clock.started': { compression: number };
  'clock.paused': Record<string, never>;
  'clock.resumed': Record<string, never>;
  'clock.speed-changed': { compression: number };
  'clock.stopped': Record<string, never>;
  'inject.fired': {
    inject: string;
    occurrence: string;
    /** Scenario seconds the trigger asked for. */
    scheduledAt: number;
    /** Wall ms at which the trigger was due under the clock in force; lateness = wallTime − this. */
    scheduledWall: number;
    latenessMs: number;
    trackable: string;
    manual: boolean;
  };
  'inject.succeeded': { inject: string; occurrence: string; detail: string };
  'inject.failed': { inject: string; occurrence: string; detail: string };
  'inject.skipped': { inject: string; occurrence: string; reason: SkipReason; detail: string };
  'attack.step': {
    trackable: string;
    inject: string;
    occurrence: string;
    tactic: string;
    technique: string;
    artifacts: AttackArtifacts;
  };
  'message.delivered': {
    inject: string;
    from: string;
    sender: string;
    subject: string;
    body: string;
    attachments: { name: string; contentType: string; content: string }[];
  };
  'telemetry.injected': { inject: string; trackable: string; count: number; firstMs: number; lastMs: number };
  /** A batch of real log records collected from a live host (auth, syslog, Squid, DNS, mail, web). */
  'telemetry.collected': { host: string; source: string; count: number; firstMs: number; lastMs: number };
  'team.action': { actor: string; action: string; detail: Record<string, unknown> };
  'report.submitted': { actor: string; kind: string; body: string; indicators: string[] };
  'score.changed': { delta: number; reason: string; expectation?: string; grader?: string };
  /** Written by scoring; the scheduler's expectation conditions read it. */
  'expectation.resolved': { expectation: string; inject: string; result: 'met' | 'failed' };
  'controller.override': {
    action: 'fire' | 'skip' | 'note';
    inject?: string;
    by: string;
    reason: string;
  };
  'cleanup.ran': { inject: string; step: number; ok: boolean; detail: string };
  /** A SOC/IDS detection rule of the scenario fired on the team's telemetry (src/alerts). */
  'alert.raised': {
    rule: string;
    title: string;
    severity: 'low' | 'medium' | 'high' | 'critical';
    source: 'soc' | 'ids';
    group?: string;
    count: number;
    firstMs: number;
    lastMs: number;
    /** Up to 5 matching records as the team sees them (never ground truth). */
    samples: Record<string, string | number | boolean>[];
  };
}

export type EventType = keyof EventPayloads;

/** An event as written by the engine, before the log gives it a sequence number. */
export type EngineEvent = {
  [K in EventType]: { type: K; team: string | null; payload: EventPayloads[K]; key?: string };
}[EventType];

/** An event as stored: the log adds session, seq and both clocks. */
export type StoredEvent = EngineEvent & {
  session: string;
  seq: number;
  /** Scenario seconds since T+0 when the fact happened. */
  scenarioTime: number;
  /** Unix ms (wall clock) when the fact was written. */
  wallTime: number;
};

export function isEvent<K extends EventType>(
  e: StoredEvent,
  type: K,
): e is StoredEvent & { type: K; payload: EventPayloads[K] } {
  return e.type === type;
}
