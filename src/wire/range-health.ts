/**
 * Range health as the controller console sees it (`GET /api/range/health`, socket `range:health`):
 * the engine's connection, every live host's state per team, and the simulated side's counts.
 * Shared by the server and the web client.
 */

/**
 * A live host's state: `running` (container up, its service check passes), `unhealthy` (up, but
 * the check failed or its writable layer passed the disk limit), `stopped` (exited, created, dead,
 * paused), `restarting`, or `missing` (the plan has it, the engine does not).
 */
export const HOST_HEALTH_STATES = ['running', 'unhealthy', 'stopped', 'restarting', 'missing'] as const;
export type HostHealthState = (typeof HOST_HEALTH_STATES)[number];

export interface HostHealth {
  team: string;
  host: string;
  role: string;
  container: string;
  state: HostHealthState;
  /** Why, in words: the engine's status line, the failed check, the disk figure. */
  detail: string;
  /** Bytes in the container's writable layer, when the engine reported them. */
  diskBytes?: number;
}

export interface TeamHealth {
  team: string;
  hosts: HostHealth[];
  /** Live hosts the plan has, and how many of them are `running`. */
  live: number;
  up: number;
  /** Hosts of the team that exist only in the simulation. */
  simulated: number;
  /** Hosts (live or simulated) the team has isolated and not released. */
  isolated: number;
}

/**
 * `connected`: the last ping answered; `unreachable`: pings fail since `since` (reconnecting with
 * backoff); `given-up`: the watch stopped retrying; `none`: this server has no live range.
 */
export type EngineState = 'connected' | 'unreachable' | 'given-up' | 'none';

export interface EngineHealth {
  state: EngineState;
  /** Where the engine is expected (socket path or DOCKER_HOST). */
  where: string;
  /** Wall ms of the last state change. */
  since: number;
  detail: string;
  /** Outages seen since the server started. */
  outages: number;
}

/** The last reconciliation of the range with the plan (after an engine outage). */
export interface ReconcileSummary {
  at: number;
  created: number;
  recreated: number;
  restarted: number;
  removed: number;
  kept: number;
  failed: { name: string; reason: string }[];
  ms: number;
}

export interface RangeHealthView {
  /** The live exercise id (container prefix), or null without a live range. */
  exercise: string | null;
  /** Wall ms of the last probe (0 before the first). */
  checkedAt: number;
  engine: EngineHealth;
  teams: TeamHealth[];
  reconciled?: ReconcileSummary;
}

/** What `POST /api/range/hosts/{team}/{host}/restore` answers. */
export interface HostRestoreResult {
  team: string;
  host: string;
  ok: boolean;
  detail: string;
}
