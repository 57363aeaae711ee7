import type { InjectPlan, Plan, TeamPlan } from '../../compiler/plan';
import { type ClockState, scenarioAt, wallAt } from '../clock/exercise-clock';
import { systemTime, type TimeSource } from '../clock/time-source';
import type { EngineEvent, StoredEvent } from '../events/event-types';
import { type FiringContext, firingKey } from '../injects/inject-executor';
import type { LiveHostDriver } from '../live/live-host-driver';
import { nextDueAt } from '../scheduler/due-injects';
import { passDecisions } from '../scheduler/pass-decisions';
import { buildSchedule, type Schedule } from '../scheduler/schedule';
import { foldResponseEffects } from '../simulation/response-effects';
import { buildTeamModel, type TeamModel } from '../simulation/team-model';
import type { OccurrenceState, SessionState } from '../state/session-state';
import type { EventStore } from '../store/event-store';
import { RunnerLease } from '../store/runner-lease';
import { type StorageFault, storageFaultOf } from '../store/storage-fault';
import { TelemetryTable } from '../store/telemetry-table';
import { TeamTelemetry } from '../telemetry/team-telemetry';
import { runCleanups } from './cleanup';
import { type CollectedRecord, collectLogs } from './collect-logs';
import { type CreateSessionInput, createSession } from './create-session';
import { type EffectsEnv, restartBackground, writeEffects } from './firing-effects';
import { trackableId } from './ground-truth';
import { SessionLog } from './session-log';

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
  /** A holder silent this long loses the session's lease (default 30 s; a dead local pid at once). */
  leaseTtlMs?: number;
  /** Called after every event is durably written. */
  onEvent?: (e: StoredEvent) => void;
  /**
   * Called when the database starts refusing writes (disk full, read-only, I/O error) — the loop
   * then fires nothing and retries every `maxSleepMs` — and with `undefined` once writes succeed again.
   */
  onStorageFault?: (fault: StorageFault | undefined) => void;
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
  private readonly log: SessionLog;
  private readonly lease: RunnerLease;
  private readonly env: EffectsEnv;
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
  private readonly actionEvents: StoredEvent[] = [];
  private actionsReadTo = 0;
  private recovered = false;
  /** Decision keys of the firings `recover()` has finished (a storage fault may interrupt it). */
  private readonly recoveredKeys = new Set<string>();
  private cleanupDone = false;
  private cleaning: Promise<void> | undefined;
  /** The storage fault the timer loop is waiting out, if any. */
  private fault: StorageFault | undefined;

  /** Writes a new session (its plan, `session.created` and one `team.joined` per team); idempotent by id. */
  static create(store: EventStore, input: CreateSessionInput, time: TimeSource = systemTime): void {
    createSession(store, input, time);
  }

  constructor(private readonly opts: SessionRunnerOptions) {
    this.time = opts.time ?? systemTime;
    this.graceMs = opts.graceMs ?? 60_000;
    this.maxSleepMs = opts.maxSleepMs ?? 1000;
    const plan = opts.store.sessionPlan<Plan>(opts.session);
    if (!plan)
      throw new Error(`no session "${opts.session}" in this database — create it first (cyrange run FILE)`);
    this.log = new SessionLog(opts.store, opts.session, this.time, opts.onEvent, () => this.wake?.());
    if (!this.log.state.created)
      throw new Error(`session "${opts.session}" has no session.created event — the log is damaged`);
    const seed = this.log.state.created.seed;
    this.plan = seed === plan.scenario.seed ? plan : { ...plan, scenario: { ...plan.scenario, seed } };
    this.epochMs = this.log.state.created.scenarioEpochMs;
    this.schedule = buildSchedule(this.plan, this.epochMs);
    this.teamPlans = new Map(this.plan.teams.map((t) => [t.id, t]));
    this.telemetryTable = new TelemetryTable(opts.store.db);
    this.lease = new RunnerLease(opts.store.db, opts.session, () => this.time.now(), opts.leaseTtlMs);
    this.lease.acquire();
    this.env = {
      log: this.log,
      driver: opts.driver,
      telemetry: this.telemetryTable,
      track: (p) => {
        const q = p.catch(() => undefined).finally(() => this.inFlight.delete(q));
        this.inFlight.add(q);
      },
    };
  }

  /** The database refusal the timer loop is waiting out (nothing fires meanwhile), if any. */
  get storageFault(): StorageFault | undefined {
    return this.fault;
  }

  /** The session's state: always `foldEvents` of what the log holds. */
  get state(): SessionState {
    return this.log.state;
  }

  get id(): string {
    return this.opts.session;
  }

  get clock(): ClockState {
    return this.log.state.clock;
  }

  /** Scenario seconds now. */
  scenarioNow(): number {
    return scenarioAt(this.log.state.clock, this.time.now());
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

  /**
   * The team's telemetry as the team sees it now: nothing after the current scenario time, and
   * the simulation obeying the team's response actions (folded from the log).
   */
  telemetry(team: string): TeamTelemetry {
    return new TeamTelemetry(
      this.model(team),
      this.telemetryTable,
      this.id,
      () => this.epochMs + this.scenarioNow() * 1000,
      foldResponseEffects(this.teamActions(), team, this.epochMs),
    );
  }

  /** Every `team.action` so far, read incrementally from the log. */
  private teamActions(): StoredEvent[] {
    const fresh = this.opts.store.read(this.id, this.actionsReadTo);
    for (const e of fresh) if (e.type === 'team.action') this.actionEvents.push(e);
    if (fresh.length) this.actionsReadTo = fresh[fresh.length - 1]!.seq;
    return this.actionEvents;
  }

  // ── clock verbs ────────────────────────────────────────────────────────────────────────────

  start(compression?: number): void {
    if (this.log.state.clock.status !== 'created')
      throw new Error(`session ${this.id} is already ${this.log.state.clock.status}`);
    const c = compression ?? this.log.state.created!.compression;
    this.log.write([
      { type: 'clock.started', team: null, key: `${this.id}/clock/started`, payload: { compression: c } },
    ]);
  }

  pause(): void {
    this.requireStatus('running', 'pause');
    this.log.write([{ type: 'clock.paused', team: null, payload: {} }]);
  }

  resume(): void {
    this.requireStatus('paused', 'resume');
    this.log.write([{ type: 'clock.resumed', team: null, payload: {} }]);
  }

  setSpeed(compression: number): void {
    if (!(compression > 0) || !Number.isFinite(compression)) {
      throw new Error(`speed ${compression} — give a positive number of scenario seconds per wall second`);
    }
    if (this.log.state.clock.status === 'stopped')
      throw new Error(`session ${this.id} is stopped — it cannot change speed`);
    this.log.write([{ type: 'clock.speed-changed', team: null, payload: { compression } }]);
  }

  /** Stops the clock, waits for running actions, then runs every cleanup in reverse firing order. */
  async stop(): Promise<void> {
    if (this.log.state.clock.status === 'running' || this.log.state.clock.status === 'paused') {
      this.log.write([{ type: 'clock.stopped', team: null, key: `${this.id}/clock/stopped`, payload: {} }]);
    }
    await this.drain();
    await this.cleanup();
  }

  // ── controller verbs ───────────────────────────────────────────────────────────────────────

  /** A controller fires an inject now for one team (or all teams with `team: null`). */
  fire(team: string | null, inject: string, by: string, reason: string): void {
    this.requireInject(inject);
    this.log.write([{ type: 'controller.override', team, payload: { action: 'fire', inject, by, reason } }]);
  }

  /** A controller cancels an inject: nothing more of it fires for the team. */
  skip(team: string | null, inject: string, by: string, reason: string): void {
    this.requireInject(inject);
    this.log.write([{ type: 'controller.override', team, payload: { action: 'skip', inject, by, reason } }]);
  }

  /** Scoring's verdict on an expectation; the scheduler's team-state conditions read it. */
  resolveExpectation(team: string, expectation: string, inject: string, result: 'met' | 'failed'): void {
    this.log.write([
      {
        type: 'expectation.resolved',
        team,
        key: `${this.id}/${team}/expectation/${expectation}`,
        payload: { expectation, inject, result },
      },
    ]);
  }

  /** Stores a batch of records collected from a live host's logs, once per key (see collect-logs.ts). */
  collect(team: string, host: string, source: string, key: string, records: CollectedRecord[]): boolean {
    if (!this.teamPlans.has(team)) throw new Error(`no team "${team}" in session ${this.id}`);
    return collectLogs(this.env, { team, host, source, key, records });
  }

  /** Appends any other fact (team actions, reports, score changes) through the same durable path. */
  record(events: EngineEvent[]): StoredEvent[] {
    return this.log.write(events);
  }

  // ── the timer loop ─────────────────────────────────────────────────────────────────────────

  /**
   * One scheduling pass: finish firings a crash interrupted (first pass only), then decide and
   * fire everything due for every team. Live actions run in the background of the pass.
   */
  tick(): TickResult {
    this.lease.renew();
    this.log.catchUp();
    if (!this.recovered) this.recover();
    const pass = passDecisions({
      session: this.id,
      teams: this.plan.teams,
      schedule: this.schedule,
      state: this.log.state,
      now: this.time.now(),
      graceMs: this.graceMs,
    });
    if (pass.events.length === 0) return { fired: 0, skipped: 0 };
    // One transaction, one fsync, for every decision of the pass and its simulated effects; live
    // actions start only once that is durable.
    const live: (() => void)[] = [];
    let count = 0;
    this.log.batch(() => {
      const written = this.log.write(pass.events);
      const fired = new Set(written.filter((e) => e.type === 'inject.fired').map((e) => e.key));
      for (const f of pass.firings) {
        if (!fired.has(f.decisionKey)) continue;
        const occ = this.log.state.teams.get(f.team.id)?.occurrences.get(f.inject.id)?.get(f.occurrence);
        if (!occ) continue;
        const start = writeEffects(this.env, this.context(f.team, f.inject, f.occurrence, occ));
        if (start) live.push(start);
        count++;
      }
    });
    for (const start of live) start();
    return { fired: count, skipped: pass.skipped };
  }

  /** Wall ms of the next thing due for any team, if the clock runs and anything is left. */
  nextWakeWall(): number | undefined {
    const clock = this.log.state.clock;
    if (clock.status !== 'running') return undefined;
    const t = scenarioAt(clock, this.time.now());
    let best: number | undefined;
    for (const ts of this.log.state.teams.values()) {
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
        if (this.isStopped()) {
          // Stopped by an earlier process that died before its cleanup finished (or by `stop()`
          // meanwhile): finish the cleanup — its recorded steps are not repeated.
          await this.finishCleanup();
          return;
        }
        const result = this.tickOrWait();
        const now = this.time.now();
        if (result === undefined) {
          // The database refuses writes: nothing was decided (the failed transaction committed
          // nothing, and the state was refolded from the log), so wait and try the same pass again.
          if (now >= deadline) return;
          await this.sleep(Math.min(this.maxSleepMs, deadline - now));
          continue;
        }
        if (this.isStopped()) continue; // its cleanup is finished at the top of the loop
        if (now >= deadline) return;
        if (opts.untilScenario !== undefined && this.scenarioNow() >= opts.untilScenario) return;
        let wakeAt = this.nextWakeWall() ?? now + this.maxSleepMs;
        if (opts.untilScenario !== undefined && this.log.state.clock.status === 'running') {
          wakeAt = Math.min(wakeAt, wallAt(this.log.state.clock, opts.untilScenario)!);
        }
        // A pass that decided nothing never loops without a pause, whatever the schedule says.
        const floor = result.fired + result.skipped === 0 ? 1 : 0;
        await this.sleep(Math.min(Math.max(floor, wakeAt - now), this.maxSleepMs, deadline - now));
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * One pass, or undefined when the database refused its writes. The fault is reported once when it
   * starts and once when writes succeed again; any other error is a bug and propagates.
   */
  private tickOrWait(): TickResult | undefined {
    try {
      const result = this.tick();
      if (this.fault) {
        this.fault = undefined;
        this.opts.onStorageFault?.(undefined);
      }
      return result;
    } catch (e) {
      const fault = storageFaultOf(e, this.opts.store.path);
      if (!fault) throw e;
      if (!this.fault) this.opts.onStorageFault?.(fault);
      this.fault = fault;
      return undefined;
    }
  }

  /** Waits for every live action started so far. */
  async drain(): Promise<void> {
    for (let i = 0; i < 100 && this.inFlight.size > 0; i++) await Promise.allSettled([...this.inFlight]);
  }

  /** Waits for running actions and gives up the session's lease (another process may run it). */
  async close(): Promise<void> {
    this.wake?.();
    await this.drain();
    this.lease.release();
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

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
   * After a restart: re-execute firings whose outcome was never written (same keys, so nothing is
   * written twice) and restart the background processes of a running exercise (in-process ones
   * died with the process).
   */
  private recover(): void {
    for (const f of this.firedOccurrences()) {
      // Each firing is finished once: a storage fault half-way leaves the rest for the next pass.
      if (this.recoveredKeys.has(f.ctx.keyPrefix)) continue;
      if (f.occ.status === 'fired') writeEffects(this.env, f.ctx)?.();
      else if (f.occ.status === 'succeeded' && this.log.state.clock.status !== 'stopped')
        restartBackground(this.env, f.ctx);
      this.recoveredKeys.add(f.ctx.keyPrefix);
    }
    this.recovered = true;
  }

  /** Every occurrence that fired (not skipped), with its firing context. */
  private firedOccurrences(): { ctx: FiringContext; occ: OccurrenceState }[] {
    const out: { ctx: FiringContext; occ: OccurrenceState }[] = [];
    for (const team of this.plan.teams) {
      for (const [injectId, byOcc] of this.log.state.teams.get(team.id)?.occurrences ?? []) {
        const inject = this.schedule.byId.get(injectId);
        if (!inject) continue;
        for (const [occurrence, occ] of byOcc) {
          if (occ.status !== 'skipped') out.push({ ctx: this.context(team, inject, occurrence, occ), occ });
        }
      }
    }
    return out;
  }

  private isStopped(): boolean {
    return this.log.state.clock.status === 'stopped';
  }

  /** `cleanup()` for the timer loop: a database refusing writes is reported, not thrown. */
  private async finishCleanup(): Promise<void> {
    try {
      await this.cleanup();
    } catch (e) {
      const fault = storageFaultOf(e, this.opts.store.path);
      if (!fault) throw e;
      this.opts.onStorageFault?.(fault);
    }
  }

  /** Every fired occurrence's cleanup, latest firing first (see cleanup.ts); one at a time. */
  private cleanup(): Promise<void> {
    this.cleaning ??= this.cleanupOnce().finally(() => {
      this.cleaning = undefined;
    });
    return this.cleaning;
  }

  private async cleanupOnce(): Promise<void> {
    if (this.cleanupDone) return;
    if (!this.recovered) this.recover();
    await this.drain();
    const fired = this.firedOccurrences().filter((f) => f.occ.firedSeq !== undefined);
    fired.sort((a, b) => b.occ.firedSeq! - a.occ.firedSeq!);
    await runCleanups(
      this.env,
      fired.map((f) => f.ctx),
    );
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
    if (this.log.state.clock.status !== status) {
      throw new Error(
        `session ${this.id} is ${this.log.state.clock.status} — only a ${status} session can ${verb}`,
      );
    }
  }

  private requireInject(inject: string): void {
    if (!this.schedule.byId.has(inject))
      throw new Error(`no inject "${inject}" in session ${this.id}'s scenario`);
  }
}
