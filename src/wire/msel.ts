/** The MSEL as the white cell sees it (`GET /api/exercise/msel`), and score overrides. */

export type MselState = 'pending' | 'fired' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface MselTeamState {
  state: MselState;
  /** Scenario seconds of the latest occurrence's firing (or skip). */
  at?: number;
  /** Scenario seconds its outcome (success/failure) was recorded. */
  outcomeAt?: number;
  /** How many occurrences were recorded (cron injects fire many times). */
  occurrences: number;
  /** Scenario seconds at which the next occurrence is due for this team, when known. */
  nextDueAt?: number;
  /** A controller "fire now" that the scheduler has not run yet. */
  manualPending: boolean;
  /** The controller skipped the inject for this team: nothing more of it fires. */
  cancelled: boolean;
}

export interface MselExpectation {
  id: string;
  title: string;
  type: string;
  points: number;
  rubric?: { level: string; points: number; description: string }[];
}

export interface MselInject {
  id: string;
  title: string;
  phase: string;
  tactic?: string;
  technique?: string;
  /** `offset` | `after` | `cron` | `manual`. */
  trigger: string;
  /** A readable summary: `T+2m`, `after phish-opened (success) +1m`, `cron 0 9 * * 1`, `manual`. */
  triggerSummary: string;
  /** The inject has a per-team condition (a branch). */
  conditional: boolean;
  expectations: MselExpectation[];
  /** team id → its state of this inject. */
  teams: Record<string, MselTeamState>;
}

export interface MselView {
  scenarioTime: number;
  clock: string;
  teams: { id: string; name: string }[];
  injects: MselInject[];
}

/** `POST /api/teams/:team/overrides`: set a expectation's points by hand, with why. */
export interface OverrideInput {
  expectation: string;
  points: number;
  reason: string;
}
