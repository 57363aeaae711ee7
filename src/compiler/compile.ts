/**
 * The compiler: a validated scenario in, the concrete plan for every team out. Pure — no I/O,
 * no clock, no randomness beyond the scenario's seed — so the same input gives the same plan
 * byte for byte, and it is fast enough for 10,000 hosts × 20 teams.
 */
import { parseClock, parseDuration, parseOffset } from '../common/duration';
import type { ParamValue } from '../scenario/parameters';
import type { Scenario } from '../scenario/schema';
import { expandTemplateHosts, teamHosts, teamSegments } from './hosts';
import { compileAction, compileInjects } from './injects';
import type { Plan, TeamPlan, TelemetryArtifactPlan } from './plan';
import { normaliseRule } from './policy';
import { generateUsers } from './users';

export interface CompileOptions {
  parameters?: Record<string, ParamValue>;
  /** Forces every host simulated (classrooms without a container engine). */
  fidelity?: 'simulated';
}

export function compile(scenario: Scenario, options: CompileOptions = {}): Plan {
  const meta = scenario.metadata;
  const users = generateUsers(scenario);
  const template = expandTemplateHosts(scenario, users, options.fidelity);
  const live = new Set(template.filter((h) => h.fidelity === 'live').map((h) => h.name));
  const teams: TeamPlan[] = [];
  for (let i = 0; i < scenario.teams.count; i++) {
    const id = `t${String(i + 1).padStart(2, '0')}`;
    teams.push({
      id,
      index: i + 1,
      name: scenario.teams.names?.[i] ?? `Team ${i + 1}`,
      segments: teamSegments(scenario, i),
      hosts: teamHosts(scenario, template, id, i),
    });
  }
  const net = scenario.network;
  const decoys = compileAction({ type: 'telemetry', events: scenario.simulation.decoys }) as {
    events: TelemetryArtifactPlan[];
  };
  return {
    version: 1,
    scenario: {
      id: meta.id,
      title: meta.title,
      description: meta.description ?? '',
      level: meta.level,
      industry: meta.industry,
      language: meta.language,
      timezone: meta.timezone,
      start: parseClock(meta.start)!,
      duration: parseDuration(meta.duration)!,
      compression: meta.compression,
      seed: meta.seed,
    },
    parameters: options.parameters ?? {},
    organisation: {
      name: scenario.organisation.name,
      domain: scenario.organisation.domain,
      departments: scenario.organisation.departments.map((d) => ({
        id: d.id,
        name: d.name,
        headcount: d.headcount,
        segment: d.segment,
      })),
    },
    network: {
      domain: net.domain,
      ...(net.egress ? { egress: { proxy: net.egress.proxy, port: net.egress.port } } : {}),
      policy: {
        default: net.policy?.default ?? 'deny',
        rules: (net.policy?.rules ?? []).map((r) => normaliseRule(r, net.segments)),
      },
    },
    users,
    teams,
    phases: (scenario.msel?.phases ?? []).map((p) => ({ id: p.id, title: p.title })),
    injects: compileInjects({
      scenario,
      isLive: (h) => live.has(h),
      hasLiveMail: template.some((h) => h.role === 'mail' && h.fidelity === 'live'),
    }),
    scoring: {
      decay: scenario.scoring.decay,
      penalties: {
        falsePositive: scenario.scoring.penalties.falsePositive,
        hint: scenario.scoring.penalties.hint,
        destructive: scenario.scoring.penalties.destructive,
        outage: {
          points: scenario.scoring.penalties.outage.points,
          interval: parseDuration(scenario.scoring.penalties.outage.interval) ?? 60,
          afterFailures: scenario.scoring.penalties.outage.afterFailures,
        },
      },
      critical: scenario.scoring.critical,
      ...(scenario.scoring.freeze !== undefined ? { freeze: parseOffset(scenario.scoring.freeze)! } : {}),
      tieBreak: scenario.scoring.tieBreak,
      showBreakdownToTeams: scenario.scoring.showBreakdownToTeams,
      anonymise: scenario.scoring.anonymise,
    },
    simulation: { activity: scenario.simulation.activity, decoys: decoys.events },
    detections: scenario.detections.map((d) => ({
      ...d,
      threshold: { ...d.threshold, within: parseDuration(d.threshold.within) ?? 300 },
    })),
  };
}
