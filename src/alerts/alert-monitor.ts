/**
 * Runs the scenario's detection rules for every team as scenario time advances and appends what
 * they raise as `alert.raised` events (durable, deduplicated by key). Each step reads at most
 * `maxSliceMs` of scenario time per team, so catching up (after a restart or a speed change) is
 * spread over ticks. With `worker`, the reading runs in a worker thread (src/alerts/alert-worker.ts)
 * and the event loop only writes the alerts; without, it runs inline (small organisations, tests).
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DetectionPlan } from '../compiler/plan';
import type { EngineEvent } from '../engine/events/event-types';
import type { TeamTelemetry } from '../engine/telemetry/team-telemetry';
import type { AlertStepReply, AlertWorkerData, WorkerAlert } from './alert-protocol';
import { DetectionEvaluator } from './detection-evaluator';

export interface AlertMonitorOptions {
  session: string;
  teams: readonly string[];
  rules: readonly DetectionPlan[];
  /** Unix ms from which rules are evaluated (scenario T+0). */
  fromMs: () => number;
  /** Unix ms of the current scenario time. */
  nowMs: () => number;
  telemetryOf: (team: string) => TeamTelemetry | undefined;
  write: (events: EngineEvent[]) => unknown;
  /** Wall ms between ticks (default 1000). */
  tickMs?: number;
  /** Scenario ms of telemetry one step reads per team at most (default 5 min). */
  maxSliceMs?: number;
  /** Scenario ms to stay behind now, so late-collected live logs are still seen (default 10 s). */
  lagMs?: number;
  /** Evaluate in a worker thread reading the database file (the data it needs, and its Node options). */
  worker?: { data: () => AlertWorkerData | undefined; execArgv?: string[] };
  onError?: (e: unknown) => void;
}

export interface AlertMonitorStats {
  ticks: number;
  raised: number;
  /** Longest time the event loop was held by one tick, wall ms. */
  maxTickMs: number;
  totalTickMs: number;
}

export class AlertMonitor {
  private readonly evaluators = new Map<string, DetectionEvaluator>();
  private timer: NodeJS.Timeout | undefined;
  private worker: Worker | undefined;
  private inFlight: number | undefined;
  private nextId = 1;
  readonly stats: AlertMonitorStats = { ticks: 0, raised: 0, maxTickMs: 0, totalTickMs: 0 };

  constructor(private readonly o: AlertMonitorOptions) {}

  start(): void {
    if (this.o.rules.length === 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
    this.inFlight = undefined;
  }

  /** One step over every team; returns the number of alerts raised inline (0 when a worker evaluates). */
  tick(): number {
    const started = performance.now();
    let raised = 0;
    try {
      const target = this.o.nowMs() - (this.o.lagMs ?? 10_000);
      const worker = this.o.worker ? this.ensureWorker() : undefined;
      if (worker) {
        if (this.inFlight === undefined) {
          this.inFlight = this.nextId++;
          worker.postMessage({
            id: this.inFlight,
            targets: this.o.teams.map((team) => ({ team, toMs: target })),
            maxSliceMs: this.o.maxSliceMs ?? 5 * 60_000,
          });
        }
      } else raised = this.stepInline(target);
    } catch (e) {
      this.o.onError?.(e);
    }
    this.account(performance.now() - started, raised);
    return raised;
  }

  private stepInline(target: number): number {
    const alerts: WorkerAlert[] = [];
    for (const team of this.o.teams) {
      let ev = this.evaluators.get(team);
      if (!ev) {
        ev = new DetectionEvaluator(this.o.session, team, this.o.rules, this.o.fromMs());
        this.evaluators.set(team, ev);
      }
      const to = Math.min(target, ev.position + (this.o.maxSliceMs ?? 5 * 60_000));
      const telemetry = this.o.telemetryOf(team);
      if (!telemetry || to <= ev.position) continue;
      for (const a of ev.advance(telemetry, to)) alerts.push({ team, ...a, rule: a.rule.id });
    }
    this.record(alerts);
    return alerts.length;
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    const data = this.o.worker?.data();
    if (!data) return undefined;
    const w = new Worker(join(__dirname, `alert-worker${extname(__filename)}`), {
      workerData: data,
      ...(this.o.worker?.execArgv ? { execArgv: this.o.worker.execArgv } : {}),
    });
    w.unref();
    w.on('message', (reply: AlertStepReply) => {
      if (reply.id !== this.inFlight) return;
      this.inFlight = undefined;
      const started = performance.now();
      if (reply.error) this.o.onError?.(new Error(`alert evaluation: ${reply.error}`));
      try {
        this.record(reply.raised);
      } catch (e) {
        this.o.onError?.(e);
      }
      this.account(performance.now() - started, reply.raised.length);
    });
    w.on('error', (e) => {
      // A dead worker is replaced at the next tick; it evaluates again from T+0 and the keys drop copies.
      this.o.onError?.(e);
      if (this.worker === w) this.worker = undefined;
      this.inFlight = undefined;
    });
    this.worker = w;
    return w;
  }

  private record(alerts: WorkerAlert[]): void {
    if (alerts.length === 0) return;
    const byId = new Map(this.o.rules.map((r) => [r.id, r]));
    this.o.write(
      alerts.flatMap((a) => {
        const rule = byId.get(a.rule);
        if (!rule) return [];
        return [
          {
            type: 'alert.raised' as const,
            team: a.team,
            key: a.key,
            payload: {
              rule: rule.id,
              title: rule.title,
              severity: rule.severity,
              source: rule.source,
              ...(a.group !== undefined ? { group: a.group } : {}),
              count: a.count,
              firstMs: a.firstMs,
              lastMs: a.lastMs,
              samples: a.samples,
            },
          },
        ];
      }),
    );
  }

  private account(took: number, raised: number): void {
    this.stats.ticks++;
    this.stats.raised += raised;
    this.stats.totalTickMs += took;
    this.stats.maxTickMs = Math.max(this.stats.maxTickMs, took);
  }
}
