/**
 * Which running hosts get a service check on this tick. A check is an exec, and an exec costs the
 * engine ≈ 40–60 ms of CPU: checking 200 hosts every 5 s kept 1.5 of the test machine's 2 cores
 * busy (docs/BENCHMARKS.md, range health). So checks are spread over time within a budget of
 * `perSecond`, and no host is checked more often than every `minIntervalMs`. Hosts never checked
 * (new or recreated containers) go first, then those failing (to see them recover), then the
 * longest unchecked. Pure bookkeeping; the monitor runs the checks.
 */
import type { SizedContainer } from '../docker/clients';
import { LABEL } from '../labels';
import { containerName } from '../reconcile/observed-state';
import type { CheckOutcome } from './host-health';

export interface CheckBudgetOptions {
  perSecond: number;
  minIntervalMs: number;
}

interface Checked {
  /** A recreated host has a new container id: its old outcome says nothing about it. */
  id: string;
  at: number;
  outcome: CheckOutcome;
}

export class CheckBudget {
  private readonly checked = new Map<string, Checked>();
  private credit = 0;
  private lastTick: number | undefined;

  constructor(private readonly options: CheckBudgetOptions) {}

  /**
   * The containers to check now: the budget earned since the last tick (at most two seconds' worth
   * carried over) spent on the most due hosts.
   */
  due(containers: readonly SizedContainer[], now: number): SizedContainer[] {
    const running = containers.filter((c) => c.State === 'running' && c.Labels?.[LABEL.host]);
    this.forget(running);
    const elapsed = this.lastTick === undefined ? 1000 : now - this.lastTick;
    this.lastTick = now;
    this.credit = Math.min(
      this.options.perSecond * 2,
      this.credit + (this.options.perSecond * elapsed) / 1000,
    );
    const ranked = running
      .map((c) => ({ c, rank: this.rank(c, now) }))
      .filter((r): r is { c: SizedContainer; rank: [number, number] } => r.rank !== undefined)
      .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1])
      .map((r) => r.c);
    const take = Math.min(ranked.length, Math.floor(this.credit));
    this.credit -= take;
    return ranked.slice(0, take);
  }

  record(c: SizedContainer, outcome: CheckOutcome, at: number): void {
    this.checked.set(containerName(c), { id: c.Id, at, outcome });
  }

  /** One host is due again (its container started or stopped), first in line. */
  expire(name: string): void {
    const entry = this.checked.get(name);
    if (entry) entry.at = Number.NEGATIVE_INFINITY;
  }

  /** Every host is due again (e.g. after an engine outage), still within the budget. */
  expireAll(): void {
    for (const entry of this.checked.values()) entry.at = Number.NEGATIVE_INFINITY;
  }

  /** The latest outcome of every host still running as the same container. */
  outcomes(): Map<string, CheckOutcome> {
    return new Map([...this.checked].map(([name, entry]) => [name, entry.outcome]));
  }

  /** [class, last check]: never checked or expired, then failing, then healthy; undefined when not due. */
  private rank(c: SizedContainer, now: number): [number, number] | undefined {
    const entry = this.checked.get(containerName(c));
    if (!entry || entry.id !== c.Id || entry.at === Number.NEGATIVE_INFINITY) return [0, 0];
    if (now - entry.at < this.options.minIntervalMs) return undefined;
    return [entry.outcome.ok ? 2 : 1, entry.at];
  }

  private forget(running: readonly SizedContainer[]): void {
    const live = new Map(running.map((c) => [containerName(c), c.Id]));
    for (const [name, entry] of this.checked) if (live.get(name) !== entry.id) this.checked.delete(name);
  }
}
