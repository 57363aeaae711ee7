/** What every route group is given: the app's dependencies, never a global. */
import type { Router } from 'express';
import type { Plan } from '../../compiler/plan';
import type { RangeHealthSource } from '../../range/health/health-source';
import type { ResponseRange } from '../../response/live-restore';
import type { AccessStore } from '../access/access-store';
import type { ServerConfig } from '../config';
import type { ExerciseControl } from '../exercise/exercise-control';
import type { EventWriter, ExerciseLog } from '../exercise/exercise-log';
import type { ScoreKeeper } from '../exercise/score-keeper';
import { ApiError } from '../http/api-error';
import type { RateLimiter } from '../http/rate-limiter';
import type { DraftStore } from '../investigation/draft-store';
import type { TeamTelemetrySource } from '../investigation/team-telemetry-source';
import type { RangeTeardown } from '../setup/teardown-routes';

export interface RouteContext {
  plan: Plan;
  session: string;
  access: AccessStore;
  log: ExerciseLog;
  keeper: ScoreKeeper;
  write: EventWriter;
  /** The running exercise's verbs, when this server runs it. */
  control?: ExerciseControl;
  /** The live range, when the server acts on live containers (`serve --live`). */
  liveRange?: ResponseRange;
  /** Health of the live range and host restores (`serve --live`). */
  rangeHealth?: RangeHealthSource;
  config: ServerConfig;
  loginLimiter: RateLimiter;
  /** Base URL for join links (known once the server listens). */
  baseUrl(): string;
  /** Ends the sockets of a login (logout, revocation). */
  disconnectLogin(loginId: string): void;
  now(): number;
  /** Each team's telemetry (search, host activity, alerts). */
  telemetry?: TeamTelemetrySource;
  /** Report drafts and attachments. */
  drafts?: DraftStore;
  /** The live range the controller may tear down (`serve --live`, or a live launch from setup). */
  teardown?: RangeTeardown;
}

export type RouteGroup = (router: Router, ctx: RouteContext) => void;

/** A `:team` path parameter must name a team of the plan: `404` otherwise. */
export function requireTeam(ctx: RouteContext, team: string): void {
  if (!ctx.plan.teams.some((t) => t.id === team))
    throw new ApiError('not_found', `no team "${team}"`, 'params.team');
}
