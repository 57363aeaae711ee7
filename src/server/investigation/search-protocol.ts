/** Messages between the server and its telemetry search workers. */
import type { StoredEvent } from '../../engine/events/event-types';
import type { TelemetryPage, TelemetryQuery } from '../../engine/telemetry/team-telemetry';

export interface SearchWorkerData {
  dbPath: string;
  session: string;
  /** The session's plan with the session's seed. */
  plan: unknown;
  epochMs: number;
}

export interface SearchJob {
  id: number;
  team: string;
  query: TelemetryQuery;
  interval?: number;
  /** Unix ms of the scenario time the search sees (nothing later is returned). */
  nowMs: number;
  /** The team's `team.action` events, so the worker's simulation obeys them like the engine's. */
  actions?: StoredEvent[];
}

export type SearchReply =
  | { id: number; ok: true; page: TelemetryPage; histogram?: { ts: number; count: number }[]; tookMs: number }
  | { id: number; ok: false; message: string };
