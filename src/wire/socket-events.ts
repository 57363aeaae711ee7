/**
 * The socket.io event maps, declared once and shared by the server and the web client
 * (`io<ServerToClientEvents, ClientToServerEvents>()`). Requests from the client carry an ack;
 * clients should call them with a deadline (`socket.timeout(ms).emitWithAck(...)`), and the
 * server answers within its own deadline with `{ ok: false, error: { code: 'timeout' } }`.
 */

import type { ActionView } from './actions';
import type { Ack } from './errors';
import type { AlertView } from './investigation';
import type { RangeHealthView } from './range-health';
import type { Role } from './roles';
import type { LaunchedView, LaunchProgressView, SetupStateView } from './setup';
import type { StorageStateView } from './storage';
import type { TerminalExit, TerminalOutput, TerminalView } from './terminal';
import type { InboxMessage, ScoreboardView, TeamScoreView } from './views';

export interface ServerToClientEvents {
  /** The scoreboard for the receiver's audience, pushed on connect and after every change. */
  'scoreboard:update': (board: ScoreboardView) => void;
  /** A team's own score, pushed to that team (and the white cell) after every change. */
  'team:score': (score: TeamScoreView) => void;
  /** A new message in a team's inbox. */
  'inbox:message': (message: InboxMessage & { team: string }) => void;
  /** A response action (or the controller's undo of one), to that team and the white cell. */
  'team:action': (action: ActionView) => void;
  /** A SOC/IDS alert raised on a team's telemetry, to that team and the white cell. */
  'alert:raised': (alert: AlertView & { team: string }) => void;
  /** Output of a terminal this socket opened or attached to. */
  'terminal:output': (output: TerminalOutput) => void;
  /** A terminal ended (shell exit, closed, limits, logout). */
  'terminal:exit': (exit: TerminalExit) => void;
  /** Whether the exercise database takes writes, to everyone on a change and to late joiners when it does not. */
  'exercise:storage': (state: StorageStateView) => void;
  /** Range health (engine, live hosts per team), to the white cell when it changes. */
  'range:health': (health: RangeHealthView) => void;
  /** Setup mode: the setup's phase and launch, to the controller, on connect and after every change. */
  'setup:state': (state: SetupStateView) => void;
  /** Setup mode: a launch's progress (images, range hosts), to the controller. */
  'setup:progress': (progress: LaunchProgressView) => void;
  /** Setup mode: the exercise is up; the page acks, then logs in to it with the token. */
  'setup:launched': (launched: LaunchedView, ack: () => void) => void;
}

export interface ClientToServerEvents {
  /** The current scoreboard for the caller's audience. Payload: `{}`. */
  'scoreboard:get': (payload: unknown, ack: (answer: Ack<ScoreboardView>) => void) => void;
  /** A team's score. Payload: `{ team }` (team members: their own team only). */
  'team:score:get': (payload: unknown, ack: (answer: Ack<TeamScoreView>) => void) => void;
  /** The team's live hosts one may open a terminal on. Payload: `{}`. */
  'terminal:hosts': (payload: unknown, ack: (answer: Ack<{ team: string; hosts: string[] }>) => void) => void;
  /** The team's open terminals (to re-attach). Payload: `{}`. */
  'terminal:list': (payload: unknown, ack: (answer: Ack<TerminalView[]>) => void) => void;
  /** Opens a shell on an own live host. Payload: `{ host, cols, rows }`. */
  'terminal:open': (payload: unknown, ack: (answer: Ack<TerminalView>) => void) => void;
  /** Attaches to an open terminal of the own team, answered with its scrollback. Payload: `{ id }`. */
  'terminal:attach': (payload: unknown, ack: (answer: Ack<TerminalView>) => void) => void;
  /** Keystrokes (no ack; rate- and size-limited). Payload: `{ id, data }`. */
  'terminal:input': (payload: unknown) => void;
  /** Payload: `{ id, cols, rows }`. */
  'terminal:resize': (payload: unknown, ack: (answer: Ack<{ cols: number; rows: number }>) => void) => void;
  /** Ends the shell. Payload: `{ id }`. */
  'terminal:close': (payload: unknown, ack: (answer: Ack<{ id: string }>) => void) => void;
}

/** What the server knows about each connection (set once by the auth middleware). */
export interface SocketData {
  principal: { role: Role; team?: string; session: string; label: string; loginId: string };
}

/** Ack deadline the server gives itself; clients should wait a little longer. */
export const SERVER_ACK_DEADLINE_MS = 2000;
export const CLIENT_ACK_DEADLINE_MS = 5000;
