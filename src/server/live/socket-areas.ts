/**
 * Socket handlers are grouped by area and registered from this one list; each area gets the
 * same context (the score keeper and a `request` helper that validates, rate-limits and acks).
 */
import type { ScoreKeeper } from '../exercise/score-keeper';
import type { RateLimiter } from '../http/rate-limiter';
import { terminalArea } from '../terminal/terminal-area';
import type { TerminalManager } from '../terminal/terminal-manager';
import { scoreboardArea } from './scoreboard-handlers';
import { onRequest, type RequestHandler } from './socket-request';
import type { CyrangeSocket } from './types';

export interface SocketContext {
  keeper: ScoreKeeper;
  /** The live range's terminals (only with `--live`). */
  terminals?: TerminalManager;
  request<T>(socket: CyrangeSocket, event: string, handler: RequestHandler<T>): void;
}

export type SocketArea = (socket: CyrangeSocket, ctx: SocketContext) => void;

export const SOCKET_AREAS: SocketArea[] = [scoreboardArea, terminalArea];

export function socketContext(
  keeper: ScoreKeeper,
  limiter: RateLimiter,
  log: (m: string) => void,
  terminals?: TerminalManager,
): SocketContext {
  return {
    keeper,
    ...(terminals ? { terminals } : {}),
    request: (socket, event, handler) => onRequest(socket, event, limiter, log, handler),
  };
}
