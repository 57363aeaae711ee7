/**
 * Range health while `serve --live` runs: probes the live hosts (a listing every `intervalMs`, at once
 * when the engine reports a container's start, stop or removal; service checks spread over time,
 * `checksPerSecond` at most and each host at most every `checkEveryMs`: check-budget.ts),
 * guards the disk, watches the engine, and after an outage reconciles the range with the plan.
 * Every change that matters is written to the exercise log (so the controller's feed and the
 * review show it) and said on the console:
 *
 * - `range.engine.lost` / `range.engine.restored` / `range.engine.gave-up` (session-wide);
 * - `range.reconciled` with the counts of `up` (session-wide);
 * - `range.host.state` when a live host changes state after the first look (team-scoped);
 * - `range.host.disk-limit` when the disk guard stops a host (team-scoped).
 *
 * While the engine is away nothing here calls it but the watch's ping; the last look is kept and
 * marked with the engine's state. Restores and the reconciliation run one at a time.
 */
import type { Plan } from '../../compiler/plan';
import type { EngineEvent } from '../../engine/events/event-types';
import type { EngineHealth, HostHealth, ReconcileSummary } from '../../wire/range-health';
import { logger } from '../common/logger';
import { type Clients, followEvents, pingEngine } from '../docker/clients';
import { exerciseFilter } from '../labels';
import { rangeUp, type UpResult } from '../lifecycle/range-up';
import { containerName } from '../reconcile/observed-state';
import { CheckBudget } from './check-budget';
import { DiskGuard } from './disk-guard';
import { EngineWatch, type EngineWatchOptions, type WatchEvent } from './engine-watch';
import type { RangeHealthSnapshot, RangeHealthSource } from './health-source';
import { classifyHosts } from './host-health';
import { engineAfter, hostStateFact, type RangeFact, reconciledLine, reconcileSummary } from './range-facts';
import { type ProbeOptions, RangeHealthProbe } from './range-health-probe';

const log = logger('range-health');

/** Engine events that change what the listing shows (not exec_*, which every check causes). */
const LIFECYCLE_EVENTS = [
  'create',
  'start',
  'restart',
  'die',
  'stop',
  'kill',
  'oom',
  'pause',
  'unpause',
  'destroy',
];

/** Writable-layer bytes a live host may hold before the disk guard stops it (default). */
export const DEFAULT_DISK_LIMIT = 1024 * 1024 * 1024;

export interface RangeHealthDeps {
  clients: Clients;
  plan: Plan;
  exercise: string;
  /** Appends facts to the exercise log (pass the session runner's `record`). */
  record?: (events: EngineEvent[]) => void;
  /** A line for the operator's console. */
  say?: (line: string) => void;
  /** Recreates one host (default: none — restores are refused). */
  restoreHost?: (team: string, host: string) => Promise<{ ok: boolean; detail: string }>;
  /** Brings the range back to the plan after an outage (default: `rangeUp`). */
  reconcile?: () => Promise<UpResult>;
  /** Runs after a reconciliation or restore (e.g. the live driver lists its hosts again). */
  afterChange?: () => Promise<void>;
  intervalMs?: number;
  /** No host's service is checked more often than this (default 5 s). */
  checkEveryMs?: number;
  /** Service checks (execs) per second over the whole range at most (default 3: ≈ 0.18 of a core here). */
  checksPerSecond?: number;
  diskLimitBytes?: number;
  probe?: ProbeOptions;
  watch?: EngineWatchOptions;
  pingDeadlineMs?: number;
}

export class RangeHealthMonitor implements RangeHealthSource {
  private readonly probe: RangeHealthProbe;
  private readonly watch: EngineWatch;
  private readonly listeners = new Set<(s: RangeHealthSnapshot) => void>();
  private hosts: HostHealth[] = [];
  private readonly budget: CheckBudget;
  private checkedAt = 0;
  private engine: EngineHealth;
  private reconciled: ReconcileSummary | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private events: { stop(): void } | undefined;
  private stopped = true;
  private lane: Promise<unknown> = Promise.resolve();
  private readonly disk: DiskGuard;

  constructor(private readonly deps: RangeHealthDeps) {
    this.probe = new RangeHealthProbe(deps.clients, deps.exercise, deps.probe);
    this.budget = new CheckBudget({
      perSecond: deps.checksPerSecond ?? 3,
      minIntervalMs: deps.checkEveryMs ?? 5000,
    });
    this.disk = new DiskGuard(
      deps.clients,
      deps.diskLimitBytes ?? DEFAULT_DISK_LIMIT,
      (line) => this.say(line),
      (fact) => this.record(fact),
    );
    this.engine = {
      state: 'connected',
      where: deps.clients.engine.where,
      since: Date.now(),
      detail: '',
      outages: 0,
    };
    this.watch = new EngineWatch(
      () => pingEngine(deps.clients.engine, deps.pingDeadlineMs ?? 2000),
      (e) => this.onWatch(e),
      deps.watch,
    );
  }

  snapshot(): RangeHealthSnapshot {
    return {
      exercise: this.deps.exercise,
      checkedAt: this.checkedAt,
      engine: { ...this.engine },
      hosts: this.hosts.map((h) => ({ ...h })),
      ...(this.reconciled ? { reconciled: this.reconciled } : {}),
    };
  }

  onChange(listener: (s: RangeHealthSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.watch.start();
    this.events = followEvents(
      this.deps.clients.engine.stream,
      // Lifecycle only: every exec (our checks, participants' shells) is a container event too.
      { ...exerciseFilter(this.deps.exercise), type: ['container'], event: LIFECYCLE_EVENTS },
      (e) => this.probeSoon(e.Actor?.Attributes?.name),
      // The stream ends when the daemon goes away: ping now rather than at the next tick.
      { onReconnect: () => this.watch.poke() },
    );
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.events?.stop();
    await this.watch.stop();
    await this.running;
    await this.lane.catch(() => undefined);
  }

  /** One look now (listing, and the checks due within the budget); resolves when done. */
  async probeNow(): Promise<void> {
    await this.runTick();
  }

  /** Ticks never overlap (two would record the same state change twice): wait for the one in flight. */
  private async runTick(): Promise<void> {
    for (let i = 0; this.running && i < 100; i++) await this.running;
    const run = this.tick().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    await run;
  }

  restore(team: string, host: string): Promise<{ ok: boolean; detail: string }> {
    const restoreHost = this.deps.restoreHost;
    if (!restoreHost) return Promise.resolve({ ok: false, detail: 'this range cannot restore hosts' });
    if (this.engine.state !== 'connected') {
      return Promise.resolve({
        ok: false,
        detail: `the engine is unreachable since ${new Date(this.engine.since).toISOString()} — retry once it is back`,
      });
    }
    return this.exclusive(async () => {
      const result = await restoreHost(team, host);
      await this.deps.afterChange?.().catch(() => undefined);
      this.say(`restore ${team}/${host}: ${result.ok ? 'done' : 'failed'} — ${result.detail}`);
      return result;
    }).finally(() => void this.probeNow().catch(() => undefined));
  }

  private exclusive<T>(job: () => Promise<T>): Promise<T> {
    const next = this.lane.then(job, job);
    this.lane = next.catch(() => undefined);
    return next;
  }

  /** A container started, stopped or went: look now, and check its service again soon. */
  private probeSoon(container?: string): void {
    if (container) this.budget.expire(container);
    if (!this.running && !this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runTick().finally(() => this.schedule(this.deps.intervalMs ?? 1000));
    }, ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.engine.state !== 'connected') return;
    try {
      const containers = await this.probe.listing();
      const due = this.budget.due(containers, Date.now());
      if (due.length) {
        const outcomes = await this.probe.checks(due);
        const at = Date.now();
        for (const c of due) {
          const outcome = outcomes.get(containerName(c));
          if (outcome) this.budget.record(c, outcome, at);
        }
      }
      if ((await this.disk.stopOverLimit(containers)) > 0) return this.tick();
      this.update(
        classifyHosts(this.deps.plan, this.deps.exercise, {
          containers,
          checks: this.budget.outcomes(),
          diskLimitBytes: this.disk.limitBytes,
          notes: this.disk.notes,
        }),
      );
    } catch (e) {
      // The watch decides whether the engine is gone; a failed probe only waits for the next tick.
      log.debug(`probe failed: ${(e as Error).message}`);
      this.watch.poke();
    }
  }

  private update(next: HostHealth[]): void {
    const before = new Map(this.hosts.map((h) => [h.container, h]));
    const first = this.checkedAt === 0;
    this.checkedAt = Date.now();
    let changed = first || next.length !== this.hosts.length;
    for (const h of next) {
      const was = before.get(h.container);
      if (was && was.state === h.state && was.detail === h.detail) continue;
      changed = true;
      if (first || (was && was.state === h.state)) continue;
      this.record(hostStateFact(h, was?.state ?? 'unknown'));
    }
    this.hosts = next;
    if (changed) this.emit();
  }

  private async onWatch(e: WatchEvent): Promise<void> {
    const next = engineAfter(this.engine, e);
    this.engine = next.engine;
    this.say(next.line);
    if (next.fact) this.record(next.fact);
    this.emit();
    if (e.type === 'restored') await this.reconcileNow();
  }

  /** Brings the range back to the plan, the way `up` reconciles; writes `range.reconciled`. */
  async reconcileNow(): Promise<ReconcileSummary | undefined> {
    return this.exclusive(async () => {
      const started = Date.now();
      try {
        const up = await (
          this.deps.reconcile ??
          (() => rangeUp(this.deps.clients, this.deps.plan, { exercise: this.deps.exercise }))
        )();
        const summary = reconcileSummary(up, started, Date.now());
        this.reconciled = summary;
        await this.deps.afterChange?.().catch(() => undefined);
        this.say(reconciledLine(summary));
        this.record({ type: 'range.reconciled', team: null, payload: { ...summary } });
        this.budget.expireAll();
        return summary;
      } catch (e) {
        const detail = (e as Error).message.slice(0, 300);
        this.say(`reconciling the range failed: ${detail} — run \`cyrange up\` by hand`);
        this.record({
          type: 'range.reconciled',
          team: null,
          payload: { error: detail, ms: Date.now() - started },
        });
        // A failure usually means the engine went away again: let the watch find out.
        this.watch.poke();
        return undefined;
      }
    }).finally(() => this.probeSoon());
  }

  private emit(): void {
    const s = this.snapshot();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch (e) {
        log.error(`range health listener failed: ${(e as Error).message}`);
      }
    }
  }

  private say(line: string): void {
    (this.deps.say ?? ((m: string) => log.info(m)))(line);
  }

  /** Range facts are not engine event types yet; they are stored with the same shape. */
  private record(event: RangeFact): void {
    try {
      this.deps.record?.([event as unknown as EngineEvent]);
    } catch (e) {
      log.error(`could not record ${event.type}: ${(e as Error).message}`);
    }
  }
}
