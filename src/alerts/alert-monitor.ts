/**
 * Runs the scenario's detection rules for every team as scenario time advances and appends what
 * they raise as `alert.raised` events (durable, deduplicated by key). Each tick reads at most
 * `maxSliceMs` of scenario time per team, so catching up after a restart or a speed change is
 * spread over ticks instead of holding the event loop.
 */
import type { DetectionPlan } from '../compiler/plan';
import type { EngineEvent } from '../engine/events/event-types';
import type { TeamTelemetry } from '../engine/telemetry/team-telemetry';
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
  /** Scenario ms of telemetry one tick reads per team at most (default 15 min). */
  maxSliceMs?: number;
  /** Scenario ms to stay behind now, so late-collected live logs are still seen (default 10 s). */
  lagMs?: number;
  onError?: (e: unknown) => void;
}

export interface AlertMonitorStats {
  ticks: number;
  raised: number;
  /** Longest tick, wall ms (how long the event loop was held). */
  maxTickMs: number;
  totalTickMs: number;
}

export class AlertMonitor {
  private readonly evaluators = new Map<string, DetectionEvaluator>();
  private timer: NodeJS.Timeout | undefined;
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
  }

  /** One pass over every team; returns the number of alerts raised. */
  tick(): number {
    const started = performance.now();
    let raised = 0;
    try {
      const target = this.o.nowMs() - (this.o.lagMs ?? 10_000);
      for (const team of this.o.teams) {
        let ev = this.evaluators.get(team);
        if (!ev) {
          ev = new DetectionEvaluator(this.o.session, team, this.o.rules, this.o.fromMs());
          this.evaluators.set(team, ev);
        }
        const to = Math.min(target, ev.position + (this.o.maxSliceMs ?? 15 * 60_000));
        const telemetry = this.o.telemetryOf(team);
        if (!telemetry || to <= ev.position) continue;
        const alerts = ev.advance(telemetry, to);
        if (alerts.length === 0) continue;
        this.o.write(
          alerts.map((a) => ({
            type: 'alert.raised' as const,
            team,
            key: a.key,
            payload: {
              rule: a.rule.id,
              title: a.rule.title,
              severity: a.rule.severity,
              source: a.rule.source,
              ...(a.group !== undefined ? { group: a.group } : {}),
              count: a.count,
              firstMs: a.firstMs,
              lastMs: a.lastMs,
              samples: a.samples,
            },
          })),
        );
        raised += alerts.length;
      }
    } catch (e) {
      this.o.onError?.(e);
    }
    const took = performance.now() - started;
    this.stats.ticks++;
    this.stats.raised += raised;
    this.stats.totalTickMs += took;
    this.stats.maxTickMs = Math.max(this.stats.maxTickMs, took);
    return raised;
  }
}
