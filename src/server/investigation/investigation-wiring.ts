/**
 * Wires the team's investigation into a server: telemetry access and drafts for the routes, the
 * detection rules' monitor (started and stopped with the server), and the live push of every
 * `alert.raised` to the team's room and the white cell.
 */
import { alertView } from '../../alerts/alert-events';
import { AlertMonitor } from '../../alerts/alert-monitor';
import type { Plan } from '../../compiler/plan';
import type { EventStore } from '../../engine/store/event-store';
import type { EventWriter, ExerciseLog } from '../exercise/exercise-log';
import { rooms } from '../live/rooms';
import type { CyrangeIo } from '../live/types';
import { DraftStore } from './draft-store';
import type { SearchPoolOptions } from './search-pool';
import { TeamTelemetrySource } from './team-telemetry-source';

export interface AlertOptions {
  /** Wall ms between evaluations (default 1000). */
  tickMs?: number;
  /** Scenario ms the evaluation stays behind now (default 10 s). */
  lagMs?: number;
  /** Scenario ms read per team per tick at most (default 15 min). */
  maxSliceMs?: number;
}

export interface Investigation {
  telemetry: TeamTelemetrySource;
  drafts: DraftStore;
  monitor: AlertMonitor;
  start(): void;
  stop(): void;
}

export function createInvestigation(deps: {
  plan: Plan;
  store: EventStore;
  log: ExerciseLog;
  session: string;
  write: EventWriter;
  io: CyrangeIo;
  alerts?: AlertOptions;
  /** Search worker threads (`false`: on the event loop). Default: workers when running built code. */
  searchWorkers?: SearchPoolOptions | false;
  onError: (e: unknown) => void;
}): Investigation {
  const { plan, log, session, io } = deps;
  const telemetry = new TeamTelemetrySource(
    plan,
    deps.store,
    log,
    ...(deps.searchWorkers !== undefined ? [deps.searchWorkers] : []),
  );
  const drafts = new DraftStore(deps.store.db, session);
  const monitor = new AlertMonitor({
    session,
    teams: plan.teams.map((t) => t.id),
    rules: plan.detections ?? [],
    fromMs: () => telemetry.epochMs,
    nowMs: () => telemetry.nowMs(),
    telemetryOf: (team) => telemetry.telemetry(team),
    write: deps.write,
    ...(telemetry.useWorkers
      ? {
          worker: {
            data: () => {
              const d = telemetry.workerData();
              return d ? { ...d, fromMs: d.epochMs } : undefined;
            },
          },
        }
      : {}),
    ...deps.alerts,
    onError: deps.onError,
  });
  log.onEvents((batch) => {
    for (const e of batch) {
      const a = alertView(e);
      if (!a || e.team === null) continue;
      io.to(rooms.team(session, e.team))
        .to(rooms.role(session, 'controller'))
        .to(rooms.role(session, 'evaluator'))
        .emit('alert:raised', { ...a, team: e.team });
    }
  });
  return {
    telemetry,
    drafts,
    monitor,
    start: () => monitor.start(),
    stop: () => {
      monitor.stop();
      void telemetry.close();
    },
  };
}
