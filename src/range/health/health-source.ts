/** What the server needs of range health: the latest look, change notices, and host restores. */
import type { EngineHealth, HostHealth, ReconcileSummary } from '../../wire/range-health';

export interface RangeHealthSnapshot {
  exercise: string;
  /** Wall ms of the last probe (0 before the first). */
  checkedAt: number;
  engine: EngineHealth;
  /** Every live host of the plan; from the last successful probe while the engine is away. */
  hosts: HostHealth[];
  reconciled?: ReconcileSummary;
}

export interface RangeHealthSource {
  snapshot(): RangeHealthSnapshot;
  /** Called after every change of a host's state or the engine's; returns the unsubscribe. */
  onChange(listener: (snapshot: RangeHealthSnapshot) => void): () => void;
  /**
   * Recreates one live host from its image (the lifecycle `up` uses), serialised with the
   * reconciliation after an engine outage; refuses while the engine is unreachable.
   */
  restore(team: string, host: string): Promise<{ ok: boolean; detail: string }>;
}
