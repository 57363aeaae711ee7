/**
 * Range health while `serve --live` runs: probes the live hosts (listing every `intervalMs`,
 * service checks every `checkEveryMs`, and at once when the engine reports a container event),
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
import { EngineWatch, type EngineWatchOptions, type WatchEvent } from './engine-watch';
import type { RangeHealthSnapshot, RangeHealthSource } from './health-source';
import { type CheckOutcome, classifyHosts, mib } from './host-health';
import { type ProbeOptions, RangeHealthProbe } from './range-health-probe';

const log = logger('range-health');

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
  checkEveryMs?: number;
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
  private checks = new Map<string, CheckOutcome>();
  private checkedAt = 0;
  private lastChecks = 0;
  private engine: EngineHealth;
  private reconciled: ReconcileSummary | undefined;
  private readonly notes = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pokeChecks = false;
  private events: { stop(): void } | undefined;
  private stopped = true;
  private lane: Promise<unknown> = Promise.resolve();
  private readonly diskLimit: number;

  constructor(private readonly deps: RangeHealthDeps) {
    this.probe = new RangeHealthProbe(deps.clients, deps.exercise, deps.probe);
    this.diskLimit = deps.diskLimitBytes ?? DEFAULT_DISK_LIMIT;
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
      { ...exerciseFilter(this.deps.exercise), type: ['container'] },
      () => this.probeSoon(),
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

  /** One full look now (listing and checks); resolves when done. */
  async probeNow(): Promise<void> {
    this.pokeChecks = true;
    await this.running;
    await this.tick();
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

  private probeSoon(): void {
    this.pokeChecks = true;
    if (!this.running && !this.stopped) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.deps.intervalMs ?? 1000);
      });
    }, ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.engine.state !== 'connected') return;
    try {
      const now = Date.now();
      const withChecks = this.pokeChecks || now - this.lastChecks >= (this.deps.checkEveryMs ?? 5000);
      const containers = withChecks ? undefined : await this.probe.listing();
      const result = containers ? { containers, checks: this.checks } : await this.probe.probe();
      if (withChecks) {
        this.pokeChecks = false;
        this.lastChecks = now;
        this.checks = result.checks;
      }
      if (await this.guardDisk(result.containers)) return this.tick();
      this.update(
        classifyHosts(this.deps.plan, this.deps.exercise, {
          containers: result.containers,
          checks: this.checks,
          diskLimitBytes: this.diskLimit,
          notes: this.notes,
        }),
      );
    } catch (e) {
      // The watch decides whether the engine is gone; a failed probe only waits for the next tick.
      log.debug(`probe failed: ${(e as Error).message}`);
      this.watch.poke();
    }
  }

  /** Stops every running host whose writable layer passed the limit; true when it stopped one. */
  private async guardDisk(containers: Awaited<ReturnType<RangeHealthProbe['listing']>>): Promise<boolean> {
    const over = containers.filter((c) => c.State === 'running' && (c.SizeRw ?? 0) > this.diskLimit);
    for (const c of over) {
      const bytes = c.SizeRw ?? 0;
      await this.deps.clients.containers.kill(c.Id);
      const detail = `stopped by the disk guard: writable layer ${mib(bytes)} > ${mib(this.diskLimit)}`;
      this.notes.set(c.Id, detail);
      const team = c.Labels?.['cyrange.team'] ?? null;
      const host = c.Labels?.['cyrange.host'] ?? containerName(c);
      this.say(`${team}/${host} ${detail} — restore it from the controller console`);
      this.record({
        type: 'range.host.disk-limit',
        team,
        payload: { host, bytes, limit: this.diskLimit, detail },
      });
    }
    return over.length > 0;
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
      this.record({
        type: 'range.host.state',
        team: h.team,
        payload: { host: h.host, state: h.state, was: was?.state ?? 'unknown', detail: h.detail },
      });
    }
    this.hosts = next;
    if (changed) this.emit();
  }

  private async onWatch(e: WatchEvent): Promise<void> {
    const where = this.deps.clients.engine.where;
    switch (e.type) {
      case 'lost':
        this.engine = {
          ...this.engine,
          state: 'unreachable',
          since: e.since,
          detail: e.detail,
          outages: this.engine.outages + 1,
        };
        this.say(
          `the Docker engine (${where}) is unreachable since ${new Date(e.since).toISOString()}: ${e.detail} — reconnecting`,
        );
        this.record({
          type: 'range.engine.lost',
          team: null,
          payload: { where, since: e.since, detail: e.detail },
        });
        return this.emit();
      case 'retry':
        this.engine = { ...this.engine, detail: `retry ${e.attempt} in ${e.nextInMs} ms: ${e.detail}` };
        this.say(`engine still unreachable (${e.detail}); retry ${e.attempt} in ${e.nextInMs} ms`);
        return this.emit();
      case 'gave-up':
        this.engine = {
          ...this.engine,
          state: 'given-up',
          since: e.at,
          detail: `gave up after ${e.attempts} retries`,
        };
        this.say(
          `gave up on the engine after ${e.attempts} retries over ${e.downMs} ms — fix it, then restart serve`,
        );
        this.record({
          type: 'range.engine.gave-up',
          team: null,
          payload: { where, attempts: e.attempts, downMs: e.downMs },
        });
        return this.emit();
      case 'restored':
        this.engine = {
          ...this.engine,
          state: 'connected',
          since: e.at,
          detail: `back after ${e.downMs} ms`,
        };
        this.say(
          `the Docker engine answers again after ${e.downMs} ms (${e.attempts} retries); reconciling the range`,
        );
        this.record({
          type: 'range.engine.restored',
          team: null,
          payload: { where, downMs: e.downMs, attempts: e.attempts },
        });
        this.emit();
        await this.reconcileNow();
        return;
    }
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
        const summary: ReconcileSummary = {
          at: Date.now(),
          created: up.created,
          recreated: up.recreated,
          restarted: up.restarted,
          removed: up.removed,
          kept: up.kept,
          failed: up.failed,
          ms: Date.now() - started,
        };
        this.reconciled = summary;
        await this.deps.afterChange?.().catch(() => undefined);
        this.say(
          `range reconciled in ${summary.ms} ms: ${summary.created} created, ${summary.recreated} recreated, ${summary.restarted} restarted, ${summary.removed} removed, ${summary.kept} kept, ${summary.failed.length} failed`,
        );
        this.record({ type: 'range.reconciled', team: null, payload: { ...summary } });
        this.pokeChecks = true;
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

  /** Range facts are not engine event types yet; they are stored as the same JSON shape. */
  private record(event: { type: string; team: string | null; payload: Record<string, unknown> }): void {
    try {
      this.deps.record?.([event as unknown as EngineEvent]);
    } catch (e) {
      log.error(`could not record ${event.type}: ${(e as Error).message}`);
    }
  }
}
