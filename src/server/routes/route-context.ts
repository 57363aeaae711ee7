/** What every route group is given: the app's dependencies, never a global. */
import type { Router } from 'express';
import type { Plan } from '../../compiler/plan';
import type { AccessStore } from '../access/access-store';
import type { ServerConfig } from '../config';
import type { ExerciseControl } from '../exercise/exercise-control';
import type { EventWriter, ExerciseLog } from '../exercise/exercise-log';
import type { ScoreKeeper } from '../exercise/score-keeper';
import type { RateLimiter } from '../http/rate-limiter';

export interface RouteContext {
  plan: Plan;
  session: string;
  access: AccessStore;
  log: ExerciseLog;
  keeper: ScoreKeeper;
  write: EventWriter;
  /** The running exercise's verbs, when this server runs it. */
  control?: ExerciseControl;
  config: ServerConfig;
  loginLimiter: RateLimiter;
  /** Base URL for join links (known once the server listens). */
  baseUrl(): string;
  /** Ends the sockets of a login (logout, revocation). */
  disconnectLogin(loginId: string): void;
  now(): number;
}

export type RouteGroup = (router: Router, ctx: RouteContext) => void;
