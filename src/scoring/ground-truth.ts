/**
 * What really happened to one team: when each inject's attack step ran and what it touched.
 * Built from the plan (what every step is meant to touch) and the team's `attack.step` events
 * (what the engine saw it touch, e.g. the team's own addresses of the hosts), and updated as
 * steps arrive.
 *
 * The clock of an inject with an ATT&CK step starts at its first `attack.step`; the clock of an
 * inject without one (a message from management) starts when it first fired.
 */
import type { InjectPlan, Plan } from '../compiler/plan';
import type { AttackArtifacts } from '../engine/events/event-types';
import { type Indicator, indicatorMatches, parseIndicator } from './indicator';
import type { ScoringEvent } from './scoring-events';
import type { TeamDirectory } from './team-directory';

export interface StepTruth {
  inject: string;
  /** Scenario seconds the inject's clock started. */
  at: number;
  technique?: string;
  /** True when an `attack.step` started the clock; false when the inject's firing did. */
  attack: boolean;
  artifacts: AttackArtifacts;
}

export interface GroundTruth {
  /** inject id → its first step for this team. */
  steps: Map<string, StepTruth>;
  /** Canonical host names touched by any step. */
  hosts: Set<string>;
  /** Canonical user ids touched by any step. */
  users: Set<string>;
  indicators: Indicator[];
  /** Is this reported host or indicator part of the ground truth? */
  includes(raw: string): boolean;
  /** Take in an `attack.step` or `inject.fired`; returns the step when it started an inject's clock. */
  record(e: ScoringEvent): StepTruth | undefined;
}

function emptyArtifacts(): AttackArtifacts {
  return { hosts: [], accounts: [], ips: [], domains: [], hashes: [] };
}

function planArtifacts(inj: InjectPlan): AttackArtifacts {
  const match = inj.expectations.flatMap((e) => (e.match ? [e.match] : []));
  return {
    hosts: [...inj.indicators.hosts, ...match.flatMap((m) => m.hosts)],
    accounts: [...inj.indicators.users, ...match.flatMap((m) => m.users)],
    ips: inj.indicators.ips,
    domains: [...inj.indicators.domains, ...match.flatMap((m) => m.indicators)],
    hashes: inj.indicators.hashes,
  };
}

export function groundTruth(plan: Plan, events: readonly ScoringEvent[], dir: TeamDirectory): GroundTruth {
  const injects = new Map(plan.injects.map((i) => [i.id, i]));
  const steps = new Map<string, StepTruth>();
  const hosts = new Set<string>();
  const users = new Set<string>();
  const indicators: Indicator[] = [];
  const seen = new Set<string>();

  function absorb(a: AttackArtifacts): void {
    for (const h of a.hosts) hosts.add(dir.host(h));
    for (const u of a.accounts) users.add(dir.user(u));
    for (const raw of [...a.domains, ...a.ips, ...a.hashes]) {
      const i = parseIndicator(raw);
      const key = `${i.kind}:${i.value}`;
      if (!seen.has(key)) {
        seen.add(key);
        indicators.push(i);
      }
    }
  }

  function merge(into: AttackArtifacts, from: AttackArtifacts): void {
    for (const key of ['hosts', 'accounts', 'ips', 'domains', 'hashes'] as const) {
      for (const v of from[key]) if (!into[key].includes(v)) into[key].push(v);
    }
  }

  for (const inj of plan.injects) absorb(planArtifacts(inj));

  const truth: GroundTruth = {
    steps,
    hosts,
    users,
    indicators,
    includes(raw) {
      if (hosts.has(dir.host(raw))) return true;
      const reported = parseIndicator(raw);
      return indicators.some((i) => indicatorMatches(i, reported));
    },
    record(e) {
      if (e.type === 'attack.step') {
        absorb(e.payload.artifacts);
        const known = steps.get(e.payload.inject);
        if (known) {
          merge(known.artifacts, e.payload.artifacts);
          return undefined;
        }
        const artifacts = emptyArtifacts();
        merge(artifacts, e.payload.artifacts);
        const step = {
          inject: e.payload.inject,
          at: e.scenarioTime,
          technique: e.payload.technique,
          attack: true,
          artifacts,
        };
        steps.set(step.inject, step);
        return step;
      }
      if (e.type === 'inject.fired') {
        const inj = injects.get(e.payload.inject);
        if (!inj || inj.attack || steps.has(inj.id)) return undefined;
        const step = { inject: inj.id, at: e.scenarioTime, attack: false, artifacts: planArtifacts(inj) };
        steps.set(inj.id, step);
        return step;
      }
      return undefined;
    },
  };
  for (const e of events) truth.record(e);
  return truth;
}
