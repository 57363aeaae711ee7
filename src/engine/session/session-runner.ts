import type { ActionPlan, InjectPlan, Plan, TeamPlan } from '../../compiler/plan';
import { type ClockState, scenarioAt, wallAt } from '../clock/exercise-clock';
import { systemTime, type TimeSource } from '../clock/time-source';
import type { EngineEvent, SkipReason, StoredEvent } from '../events/event-types';
import {
  type FiringContext,
  firingKey,
  isLiveHost,
  needsDriver,
  simulatedEffects,
  tryLiveAction,
} from '../injects/inject-executor';
import type { LiveHostDriver } from '../live/live-host-driver';
import { decide, nextDueAt } from '../scheduler/due-injects';
import { buildSchedule, type Schedule } from '../scheduler/schedule';
import { buildTeamModel, type TeamModel } from '../simulation/team-model';
import { applyEvent, foldEvents, type OccurrenceState, type SessionState } from '../state/session-state';
import type { EventStore } from '../store/event-store';
import { TelemetryTable } from '../store/telemetry-table';
import { TeamTelemetry } from '../telemetry/team-telemetry';
import { trackableId } from './ground-truth';

/**
 * Runs one session: the clock verbs, the timer loop that fires due injects, and the end-of-exercise
 * cleanup. The rules that make it crash-safe:
 *
 * 1. Every decision is written before it is acted on. An occurrence is decided once: its
 *    `inject.fired` or `inject.skipped` carries the key `<session>/<team>/<inject>/<occ>/decision`,
 *    and the store's UNIQUE key makes a second decision a no-op — so no inject fires twice.
 * 2. Effects follow, each keyed (`…/message`, `…/telemetry`, `…/attack`, `…/outcome`, `…/cleanup/N`).
 *    A firing whose outcome is missing after a restart is re-executed with the same keys: events
 *    already written are not written again, and live-host drivers get the same keys.
 * 3. State is only ever `foldEvents(log)`: after a restart the clock, the occurrences and the
 *    controller's requests are exactly what the log says.
 *
 * Missed firings (the orchestrator was down or busy past their time): one-shot injects (offset,
 * after, manual) fire late with their lateness recorded — the story must go on; recurring (cron)
 * occurrences fire only if they are less than `graceMs` late, older ones are skipped as `missed`,
 * so a beacon never bursts after a restart.
 */

export interface SessionRunnerOptions {
  store: EventStore;
  session: string;
  driver: LiveHostDriver;
  time?: TimeSource;
  /** Wall ms after which a recurring occurrence is skipped as missed (default 60 s). */
  graceMs?: number;
  /** Longest sleep of the timer loop between passes (it also wakes on every verb). */
  maxSleepMs?: number;
  /** Called after every event is durably written. */
  onEvent?: (e: StoredEvent) => void;
}

export interface CreateSessionInput {
  id: string;
  plan: Plan;
  /** Unix ms of scenario T+0 (default: the scenario's start time today in its time zone). */
  scenarioEpochMs: number;
  compression?: number;
  seed?: number;
}

export interface RunOptions {
  /** Stop the loop (not the exercise) once scenario time reaches this many seconds. */
  untilScenario?: number;
  /** Stop the loop after this many wall ms. */
  maxWallMs: number;
  signal?: AbortSignal;
}

export interface TickResult {
  fired: number;
  skipped: number;
}

export class SessionRunner {
  private st: SessionState;
  readonly plan: Plan;
  readonly schedule: Schedule;
  readonly epochMs: number;
  private readonly time: TimeSource;
  private readonly graceMs: number;
  private readonly maxSleepMs: number;
  private readonly teamPlans: Map<string, TeamPlan>;
  private readonly models = new Map<string, TeamModel>();
  private readonly telemetryTable: TelemetryTable;
  private readonly inFlight = new Set<Promise<void>>();
  private wake: (() => void) | undefined;
  private recovered = false;
  private cleanupDone = false;
  private batchDepth = 0;
  private pendingAcks: StoredEvent[] = [];

  /** Writes a new session (its plan, `session.created` and one `team.joined` per team); idempotent by id. */
  static create(store: EventStore, input: CreateSessionInput, time: TimeSource = systemTime): void {
    const { id, plan } = input;
    const now = time.now();
    store.transaction(() => {
      store.createSession(id, plan, now);
      store.append({
        session: id,
        scenarioTime: 0,
        wallTime: now,
        event: {
          type: 'session.created',
          team: null,
          key: `${id}/created`,
          payload: {
            scenario: plan.scenario.id,
            title: plan.scenario.title,
            teams: plan.teams.map((t) => t.id),
            scenarioEpochMs: input.scenarioEpochMs,
            compression: input.compression ?? plan.scenario.compression,
            seed: input.seed ?? plan.scenario.seed,
          },
        },
      });
      for (const t of plan.teams) {
        store.append({
          session: id,
          scenarioTime: 0,
          wallTime: now,
          event: {
            type: 'team.joined',
            team: t.id,
            key: `${id}/team/${t.id}`,
            payload: { name: t.name, members: [] },
          },
        });
      }
    });
  }

  constructor(private readonly opts: SessionRunnerOptions) {
    this.time = opts.time ?? systemTime;
    this.graceMs = opts.graceMs ?? 60_000;
    this.maxSleepMs = opts.maxSleepMs ?? 1000;
    const plan = opts.store.sessionPlan<Plan>(opts.session);
    if (!plan)
      throw new Error(`no session "${opts.session}" in this database — create it first (cyrange run FILE)`);
    this.st = foldEvents(opts.session, opts.store.read(opts.session));
    if (!this.st.created)
      throw new Error(`session "${opts.session}" has no session.created event — the log is damaged`);
    const seed = this.st.created.seed;
    this.plan = seed === plan.scenario.seed ? plan : { ...plan, scenario: { ...plan.scenario, seed } };
    this.epochMs = this.st.created.scenarioEpochMs;
    this.schedule = buildSchedule(this.plan, this.epochMs);
    this.teamPlans = new Map(this.plan.teams.map((t) => [t.id, t]));
    this.telemetryTable = new TelemetryTable(opts.store.db);
  }

  /** The session's state: always `foldEvents` of what the log holds. */
  get state(): SessionState {
    return this.st;
  }

  get id(): string {
    return this.opts.session;
  }

  get clock(): ClockState {
    return this.st.clock;
  }

  /** Scenario seconds now. */
  scenarioNow(): number {
    return scenarioAt(this.st.clock, this.time.now());
  }

  model(team: string): TeamModel {
    let m = this.models.get(team);
    if (!m) {
      const tp = this.teamPlans.get(team);
      if (!tp) throw new Error(`no team "${team}" in session ${this.id}`);
      m = buildTeamModel(this.plan, tp, this.epochMs);
      this.models.set(team, m);
    }
    return m;
  }

  /** The team's telemetry as the team sees it now: nothing after the current scenario time. */
  telemetry(team: string): TeamTelemetry {
    return new TeamTelemetry(
      this.model(team),
      this.telemetryTable,
      this.id,
      () => this.epochMs + this.scenarioNow() * 1000,
    );
  }

  // ── clock verbs ────────────────────────────────────────────────────────────────────────────

  start(compression?: number): void {
    if (this.st.clock.status !== 'created')
      throw new Error(`session ${this.id} is already ${this.st.clock.status}`);
    const c = compression ?? this.st.created!.compression;
    this.write([
      { type: 'clock.started', team: null, key: `${this.id}/clock/started`, payload: { compression: c } },
    ]);
  }

  pause(): void {
    this.requireStatus('running', 'pause');
    this.write([{ type: 'clock.paused', team: null, payload: {} }]);
  }

  resume(): void {
    this.requireStatus('paused', 'resume');
    this.write([{ type: 'clock.resumed', team: null, payload: {} }]);
  }

  setSpeed(compression: number): void {
    if (!(compression > 0) || !Number.isFinite(compression)) {
      throw new Error(`speed ${compression} — give a positive number of scenario seconds per wall second`);
    }
    if (this.st.clock.status === 'stopped')
      throw new Error(`session ${this.id} is stopped — it cannot change speed`);
    this.write([{ type: 'clock.speed-changed', team: null, payload: { compression } }]);
  }

  /** Stops the clock, waits for running actions, then runs every cleanup in reverse firing order. */
  async stop(): Promise<void> {
    if (this.st.clock.status === 'running' || this.st.clock.status === 'paused') {
      this.write([{ type: 'clock.stopped', team: null, key: `${this.id}/clock/stopped`, payload: {} }]);
    }
    await this.drain();
    await this.cleanup();
  }

  // ── controller verbs ───────────────────────────────────────────────────────────────────────

  /** A controller fires an inject now for one team (or all teams with `team: null`). */
  fire(team: string | null, inject: string, by: string, reason: string): void {
    this.requireInject(inject);
    this.write([{ type: 'controller.override', team, payload: { action: 'fire', inject, by, reason } }]);
  }

  /** A controller cancels an inject: nothing more of it fires for the team. */
  skip(team: string | null, inject: string, by: string, reason: string): void {
    this.requireInject(inject);
    this.write([{ type: 'controller.override', team, payload: { action: 'skip', inject, by, reason } }]);
  }

  /** Scoring's verdict on an expectation; the scheduler's team-state conditions read it. */
  resolveExpectation(team: string, expectation: string, inject: string, result: 'met' | 'failed'): void {
    this.write([
      {
        type: 'expectation.resolved',
        team,
        key: `${this.id}/${team}/expectation/${expectation}`,
        payload: { expectation, inject, result },
      },
    ]);
  }

  /** Appends any other fact (team actions, reports, score changes) through the same durable path. */
  record(events: EngineEvent[]): StoredEvent[] {
    return this.write(events);
  }

  // ── the timer loop ─────────────────────────────────────────────────────────────────────────

  /**
   * One scheduling pass: finish firings a crash interrupted (first pass only), then decide and
   * fire everything due for every team. Live actions run in the background of the pass.
   */
  tick(): TickResult {
    if (!this.recovered) this.recover();
    const clock = this.st.clock;
    if (clock.status !== 'running') return { fired: 0, skipped: 0 };
    const now = this.time.now();
    const t = scenarioAt(clock, now);
    const decisions: EngineEvent[] = [];
    const firings: { team: TeamPlan; inject: InjectPlan; occurrence: string }[] = [];
    let skipped = 0;
    for (const team of this.plan.teams) {
      const ts = this.st.teams.get(team.id);
      if (!ts) continue;
      const d = decide(this.schedule, ts, t);
      for (const s of d.skip) {
        skipped++;
        decisions.push(this.skipEvent(team.id, s.inject.id, s.occurrence, s.reason, s.detail));
      }
      for (const f of d.fire) {
        const scheduledWall = f.manual ? (f.requestWall ?? now) : this.wallOf(clock, f.scheduledAt, now);
        const latenessMs = Math.max(0, now - scheduledWall);
        if (f.inject.trigger.kind === 'cron' && !f.manual && latenessMs > this.graceMs) {
          skipped++;
          decisions.push(
            this.skipEvent(
              team.id,
              f.inject.id,
              f.occurrence,
              'missed',
              `${Math.round(latenessMs)} ms late, past the ${this.graceMs} ms grace`,
            ),
          );
          continue;
        }
        const key = firingKey(this.id, team.id, f.inject.id, f.occurrence);
        decisions.push({
          type: 'inject.fired',
          team: team.id,
          key: `${key}/decision`,
          payload: {
            inject: f.inject.id,
            occurrence: f.occurrence,
            scheduledAt: f.scheduledAt,
            scheduledWall,
            latenessMs,
            trackable: trackableId(this.id, team.id, f.inject.id, f.occurrence),
            manual: f.manual,
          },
        });
        firings.push({ team, inject: f.inject, occurrence: f.occurrence });
      }
    }
    if (decisions.length === 0) return { fired: 0, skipped: 0 };
    // One transaction, one fsync, for every decision of the pass and its simulated effects; live
    // actions start only once that is durable.
    const live: (() => void)[] = [];
    let count = 0;
    this.batch(() => {
      const written = this.write(decisions);
      const fired = new Set(written.filter((e) => e.type === 'inject.fired').map((e) => e.key));
      for (const f of firings) {
        const key = firingKey(this.id, f.team.id, f.inject.id, f.occurrence);
        if (!fired.has(`${key}/decision`)) continue;
        const occ = this.st.teams.get(f.team.id)?.occurrences.get(f.inject.id)?.get(f.occurrence);
        if (!occ) continue;
        const start = this.writeEffects(f.team, f.inject, f.occurrence, occ);
        if (start) live.push(start);
        count++;
      }
    });
    for (const start of live) start();
    return { fired: count, skipped };
  }

  /** Wall ms of the next thing due for any team, if the clock runs and anything is left. */
  nextWakeWall(): number | undefined {
    const clock = this.st.clock;
    if (clock.status !== 'running') return undefined;
    const t = scenarioAt(clock, this.time.now());
    let best: number | undefined;
    for (const ts of this.st.teams.values()) {
      if (ts.manualRequests.some((r) => !ts.occurrences.get(r.inject)?.has(r.occurrence)))
        return this.time.now();
      const at = nextDueAt(this.schedule, ts, t);
      if (at === undefined) continue;
      const w = wallAt(clock, at)!;
      if (best === undefined || w < best) best = w;
    }
    return best;
  }

  /**
   * The timer loop: passes at each due time until the clock stops, `untilScenario` is reached,
   * `maxWallMs` elapses or `signal` aborts. It sleeps exactly until the next due wall time (at
   * most `maxSleepMs`) and wakes early on every verb.
   */
  async run(opts: RunOptions): Promise<void> {
    const deadline = this.time.now() + opts.maxWallMs;
    const onAbort = () => this.wake?.();
    opts.signal?.addEventListener('abort', onAbort);
    try {
      for (let pass = 0; pass < 10_000_000; pass++) {
        if (opts.signal?.aborted) return;
        const pass = this.tick();
        const now = this.time.now();
        if (this.st.clock.status === 'stopped' || now >= deadline) return;
        if (opts.untilScenario !== undefined && this.scenarioNow() >= opts.untilScenario) return;
        let wakeAt = this.nextWakeWall() ?? now + this.maxSleepMs;
        if (opts.untilScenario !== undefined && this.st.clock.status === 'running') {
          wakeAt = Math.min(wakeAt, wallAt(this.st.clock, opts.untilScenario)!);
        }
        // A pass that decided nothing never loops without a pause, whatever the schedule says.
        const floor = pass.fired + pass.skipped === 0 ? 1 : 0;
        await this.sleep(Math.min(Math.max(floor, wakeAt - now), this.maxSleepMs, deadline - now));
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Waits for every live action started so far. */
  async drain(): Promise<void> {
    for (let i = 0; i < 100 && this.inFlight.size > 0; i++) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.wake?.();
    await this.drain();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  /**
   * Runs `fn` as one transaction (one fsync): every event it writes is reported to `onEvent` only
   * after the commit. If it fails, nothing of it is in the log and the state is refolded.
   */
  private batch<T>(fn: () => T): T {
    this.batchDepth++;
    let result: T;
    try {
      result = this.opts.store.transaction(fn);
    } catch (e) {
      if (this.batchDepth === 1) {
        this.pendingAcks = [];
        this.st = foldEvents(this.id, this.opts.store.read(this.id));
      }
      throw e;
    } finally {
      this.batchDepth--;
    }
    if (this.batchDepth === 0) {
      const acks = this.pendingAcks;
      this.pendingAcks = [];
      for (const e of acks) this.opts.onEvent?.(e);
      this.wake?.();
    }
    return result;
  }

  /** Appends events atomically (inside the current batch, if any) and applies them to the state. */
  private write(events: EngineEvent[]): StoredEvent[] {
    return this.batch(() => {
      const now = this.time.now();
      const scenarioTime = scenarioAt(this.st.clock, now);
      const written: StoredEvent[] = [];
      for (const event of events) {
        const r = this.opts.store.append({ session: this.id, event, scenarioTime, wallTime: now });
        if (r.duplicate) continue;
        applyEvent(this.st, r.event);
        written.push(r.event);
        this.pendingAcks.push(r.event);
      }
      return written;
    });
  }

  private skipEvent(
    team: string,
    inject: string,
    occurrence: string,
    reason: SkipReason,
    detail: string,
  ): EngineEvent {
    return {
      type: 'inject.skipped',
      team,
      key: `${firingKey(this.id, team, inject, occurrence)}/decision`,
      payload: { inject, occurrence, reason, detail },
    };
  }

  /** Wall ms at which scenario second `at` was due; reached before the current segment → its start. */
  private wallOf(clock: ClockState, at: number, now: number): number {
    if (at < clock.anchorScenario) return clock.anchorWall;
    return wallAt(clock, at) ?? now;
  }

  private context(
    team: TeamPlan,
    inject: InjectPlan,
    occurrence: string,
    occ: OccurrenceState,
  ): FiringContext {
    return {
      session: this.id,
      plan: this.plan,
      team,
      model: this.model(team.id),
      inject,
      occurrence,
      trackable: occ.trackable ?? trackableId(this.id, team.id, inject.id, occurrence),
      firedAt: occ.at,
      firedMs: this.epochMs + occ.at * 1000,
      keyPrefix: firingKey(this.id, team.id, inject.id, occurrence),
    };
  }

  /**
   * Writes the simulated effects of a firing (inside the caller's batch) and returns what starts
   * its live part, to be called once the batch is committed; undefined when there is none.
   */
  private writeEffects(
    team: TeamPlan,
    inject: InjectPlan,
    occurrence: string,
    occ: OccurrenceState,
  ): (() => void) | undefined {
    const ctx = this.context(team, inject, occurrence, occ);
    const outcomeKey = `${ctx.keyPrefix}/outcome`;
    let effects: ReturnType<typeof simulatedEffects>;
    try {
      effects = simulatedEffects(ctx);
    } catch (e) {
      this.write([
        {
          type: 'inject.failed',
          team: team.id,
          key: outcomeKey,
          payload: { inject: inject.id, occurrence, detail: (e as Error).message },
        },
      ]);
      return undefined;
    }
    const telemetryKey = `${ctx.keyPrefix}/telemetry`;
    const live = needsDriver(inject.action, team);
    const events = [...effects.events];
    if (!live) {
      events.push({
        type: 'inject.succeeded',
        team: team.id,
        key: outcomeKey,
        payload: { inject: inject.id, occurrence, detail: describe(inject.action) },
      });
    }
    this.batch(() => {
      // Telemetry rows are written only with the first (non-duplicate) `telemetry.injected`.
      if (effects.telemetry.length > 0 && !this.opts.store.hasKey(telemetryKey)) {
        this.telemetryTable.insert(
          effects.telemetry.map((record) => ({
            session: this.id,
            team: team.id,
            source: 'inject',
            trackable: ctx.trackable,
            record,
          })),
        );
      }
      this.write(events);
    });
    if (!live) return undefined;
    return () => {
      const p = tryLiveAction(this.opts.driver, ctx, inject.action, ctx.keyPrefix).then((r) => {
        this.write([
          {
            type: r.ok ? 'inject.succeeded' : 'inject.failed',
            team: team.id,
            key: outcomeKey,
            payload: { inject: inject.id, occurrence, detail: r.detail },
          },
        ]);
      });
      this.track(p);
    };
  }

  private track(p: Promise<void>): void {
    const q = p.catch(() => undefined).finally(() => this.inFlight.delete(q));
    this.inFlight.add(q);
  }

  /**
   * After a restart: re-execute firings whose outcome was never written (same keys, so nothing is
   * written twice), restart background processes of a running exercise, finish a cleanup that
   * was cut short.
   */
  private recover(): void {
    this.recovered = true;
    for (const team of this.plan.teams) {
      const ts = this.st.teams.get(team.id);
      if (!ts) continue;
      for (const [injectId, byOcc] of ts.occurrences) {
        const inject = this.schedule.byId.get(injectId);
        if (!inject) continue;
        for (const [occurrence, occ] of byOcc) {
          if (occ.status === 'fired') this.writeEffects(team, inject, occurrence, occ)?.();
          else if (
            occ.status === 'succeeded' &&
            this.st.clock.status !== 'stopped' &&
            isBackground(inject.action, team)
          ) {
            const ctx = this.context(team, inject, occurrence, occ);
            this.track(
              tryLiveAction(this.opts.driver, ctx, inject.action, ctx.keyPrefix).then(() => undefined),
            );
          }
        }
      }
    }
  }

  /** Every fired occurrence's cleanup, latest firing first, each step's steps in reverse. */
  private async cleanup(): Promise<void> {
    if (this.cleanupDone) return;
    if (!this.recovered) this.recover();
    await this.drain();
    const fired: { team: TeamPlan; inject: InjectPlan; occurrence: string; occ: OccurrenceState }[] = [];
    for (const team of this.plan.teams) {
      for (const [injectId, byOcc] of this.st.teams.get(team.id)?.occurrences ?? []) {
        const inject = this.schedule.byId.get(injectId);
        if (!inject) continue;
        for (const [occurrence, occ] of byOcc) {
          if (occ.status !== 'skipped' && occ.firedSeq !== undefined)
            fired.push({ team, inject, occurrence, occ });
        }
      }
    }
    fired.sort((a, b) => b.occ.firedSeq! - a.occ.firedSeq!);
    for (const f of fired) {
      const ctx = this.context(f.team, f.inject, f.occurrence, f.occ);
      const steps: { step: number; action?: ActionPlan }[] = f.inject.cleanup
        .map((action, step) => ({ step, action }))
        .reverse();
      // The background process the inject started is stopped last (it was started first).
      if (isBackground(f.inject.action, f.team)) steps.push({ step: f.inject.cleanup.length });
      for (const { step, action } of steps) {
        const key = `${ctx.keyPrefix}/cleanup/${step}`;
        if (this.opts.store.hasKey(key)) continue;
        let r: { ok: boolean; detail: string };
        if (!action) {
          const host = (f.inject.action as { host: string }).host;
          r = await this.opts.driver
            .stopBackground({ team: f.team.id, host }, ctx.keyPrefix)
            .then(() => ({ ok: true, detail: `stopped background on ${host}` }))
            .catch((e: Error) => ({ ok: false, detail: e.message }));
        } else if (needsDriver(action, f.team)) {
          r = await tryLiveAction(this.opts.driver, ctx, action, key);
        } else {
          r = { ok: true, detail: 'simulated host — nothing to undo' };
        }
        this.write([
          {
            type: 'cleanup.ran',
            team: f.team.id,
            key,
            payload: { inject: f.inject.id, step, ok: r.ok, detail: r.detail },
          },
        ]);
      }
    }
    this.cleanupDone = true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private requireStatus(status: ClockState['status'], verb: string): void {
    if (this.st.clock.status !== status) {
      throw new Error(`session ${this.id} is ${this.st.clock.status} — only a ${status} session can ${verb}`);
    }
  }

  private requireInject(inject: string): void {
    if (!this.schedule.byId.has(inject))
      throw new Error(`no inject "${inject}" in session ${this.id}'s scenario`);
  }
}

function isBackground(action: ActionPlan, team: TeamPlan): boolean {
  return (
    (action.type === 'beacon' || (action.type === 'exec' && action.background)) &&
    isLiveHost(team, action.host)
  );
}

function describe(action: ActionPlan): string {
  switch (action.type) {
    case 'message':
      return `message from ${action.sender}: ${action.subject}`;
    case 'telemetry':
      return `${action.events.length} telemetry artifact(s)`;
    default:
      return `${action.type} on a simulated host`;
  }
}
