/**
 * The judge that runs beside the exercise: every round it probes each team's containment
 * expectations (from the attack step until expiry) and, on a live range, checks the services.
 * What it finds is written as facts scoring reads:
 *
 * * `containment.verified { expectation, ok: true, detail }` once per team and expectation (keyed),
 *   when the probe sees the containment in place — the fold of the team's actions for simulated
 *   hosts, the container itself for live ones;
 * * `service.checked { host, service, ok, cause, detail }` once per service and round, with
 *   `cause: 'team'` when the team's own actions touch the host (isolated, restored, a process
 *   killed on it in the last rounds) and `cause: 'range'` otherwise, so scoring's outage penalty
 *   charges only outages the team caused.
 */
import type { Plan } from '../compiler/plan';
import type { EngineEvent, StoredEvent } from '../engine/events/event-types';
import type { LiveHostDriver } from '../engine/live/live-host-driver';
import { activeAt, foldResponseEffects } from '../engine/simulation/response-effects';
import { simulatedVerdict, type Verdict } from './containment-verdict';
import { LiveProbes } from './live-probes';

export interface ResponseMonitorDeps {
  plan: Plan;
  session: string;
  epochMs: number;
  /** The team's events (its own and session-wide), in log order. */
  events: (team: string) => readonly StoredEvent[];
  write: (events: EngineEvent[]) => StoredEvent[];
  /** Scenario seconds now; negative while the clock does not run. */
  scenarioNow: () => number;
  wallNow?: () => number;
  driver?: LiveHostDriver;
  /** Scenario seconds between service-check rounds (default 60). */
  serviceRoundS?: number;
  /** Wall ms a C2 must hear nothing from a host to call its beacon stopped (default 60 s). */
  beaconWindowMs?: number;
  log?: (message: string) => void;
}

export class ResponseMonitor {
  private readonly probes: LiveProbes | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly wallNow: () => number;
  private readonly checkedRound = new Map<string, number>();

  constructor(private readonly deps: ResponseMonitorDeps) {
    this.wallNow = deps.wallNow ?? Date.now;
    this.probes = deps.driver
      ? new LiveProbes(deps.driver, deps.plan, deps.session, deps.beaconWindowMs ?? 60_000, this.wallNow)
      : undefined;
  }

  /** One pass over every team; returns the facts it wrote. */
  async round(): Promise<StoredEvent[]> {
    const written: StoredEvent[] = [];
    // A negative time means the clock does not run (not started, paused, stopped): nothing to judge.
    if (this.deps.scenarioNow() < 0) return written;
    for (const team of this.deps.plan.teams) {
      try {
        written.push(...(await this.containment(team.id)));
        if (this.probes) written.push(...(await this.services(team.id)));
      } catch (e) {
        this.deps.log?.(`response monitor, team ${team.id}: ${(e as Error).message}`);
      }
    }
    return written;
  }

  /** Runs a round every `ms` (never two at once) until `stop()`. */
  start(ms: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.running ??= this.round()
        .then(() => undefined)
        .finally(() => {
          this.running = undefined;
        });
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async containment(team: string): Promise<StoredEvent[]> {
    const events = this.deps.events(team);
    const now = this.deps.scenarioNow();
    const atMs = this.deps.epochMs + now * 1000;
    const fx = foldResponseEffects(events, team, this.deps.epochMs);
    const out: EngineEvent[] = [];
    for (const inject of this.deps.plan.injects) {
      for (const x of inject.expectations) {
        if (x.type !== 'containment' || !x.check) continue;
        const step = events.find(
          (e) =>
            (e.type === 'attack.step' || e.type === 'inject.fired') &&
            e.payload.inject === inject.id &&
            (e.team === team || e.team === null),
        );
        if (!step || now > step.scenarioTime + x.expiry) continue;
        const verified = events.some(
          (e) =>
            (e.type as string) === 'containment.verified' &&
            (e.payload as { expectation?: string }).expectation === x.id,
        );
        if (verified) continue;
        let verdict: Verdict | undefined = this.probes
          ? await this.probes.containment(team, x.check)
          : undefined;
        verdict ??= simulatedVerdict(this.deps.plan, x.check, fx, atMs);
        if (!verdict.ok) continue;
        out.push({
          type: 'containment.verified',
          team,
          key: `${this.deps.session}/${team}/containment/${x.id}`,
          payload: { expectation: x.id, ok: true, detail: verdict.detail },
        } as unknown as EngineEvent);
      }
    }
    return out.length ? this.deps.write(out) : [];
  }

  private async services(team: string): Promise<StoredEvent[]> {
    const roundS = this.deps.serviceRoundS ?? 60;
    const now = this.deps.scenarioNow();
    const round = Math.floor(now / roundS);
    if (this.checkedRound.get(team) === round) return [];
    this.checkedRound.set(team, round);
    const events = this.deps.events(team);
    const fx = foldResponseEffects(events, team, this.deps.epochMs);
    const atMs = this.deps.epochMs + now * 1000;
    const recent = (host: string) =>
      events.some(
        (e) =>
          e.type === 'team.action' &&
          e.team === team &&
          String(e.payload.detail.host ?? '').toLowerCase() === host &&
          now - e.scenarioTime <= 3 * roundS,
      );
    const isolated = new Set([...fx.isolated.keys()].filter((h) => activeAt(fx.isolated.get(h), atMs)));
    const checks = await this.probes!.services(team, isolated);
    const out: EngineEvent[] = checks.map((c) => {
      const host = c.host.toLowerCase();
      const teamCaused = activeAt(fx.isolated.get(host), atMs) || recent(host);
      return {
        type: 'service.checked',
        team,
        key: `${this.deps.session}/${team}/service/${c.host}/${c.service}/${round}`,
        payload: {
          host: c.host,
          service: c.service,
          ok: c.ok,
          ...(c.ok ? {} : { cause: teamCaused ? 'team' : 'range' }),
          detail: c.detail,
        },
      } as unknown as EngineEvent;
    });
    return out.length ? this.deps.write(out) : [];
  }
}
