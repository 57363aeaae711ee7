/**
 * Socket handlers are grouped by area and registered from this one list; each area gets the
 * same context (the score keeper and a `request` helper that validates, rate-limits and acks).
 */
import type { ScoreKeeper } from '../exercise/score-keeper';
import type { RateLimiter } from '../http/rate-limiter';
import { scoreboardArea } from './scoreboard-handlers';
import { onRequest, type RequestHandler } from './socket-request';
import type { CyrangeSocket } from './types';

export interface SocketContext {
  keeper: ScoreKeeper;
  request<T>(socket: CyrangeSocket, event: string, handler: RequestHandler<T>): void;
}

export type SocketArea = (socket: CyrangeSocket, ctx: SocketContext) => void;

export const SOCKET_AREAS: SocketArea[] = [scoreboardArea];

export function socketContext(
  keeper: ScoreKeeper,
  limiter: RateLimiter,
  log: (m: string) => void,
): SocketContext {
  return {
    keeper,
    request: (socket, event, handler) => onRequest(socket, event, limiter, log, handler),
  };
}
