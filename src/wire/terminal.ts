/** Wire types of the browser terminal (xterm.js over socket.io to a TTY exec on a live host). */

/** A terminal as the client sees it; `scrollback` is the recent output (late joiners, reconnects). */
export interface TerminalView {
  id: string;
  team: string;
  host: string;
  cols: number;
  rows: number;
  /** The ring buffer's content, oldest first (at most TERMINAL_LIMITS.scrollbackBytes). */
  scrollback: string;
  open: boolean;
}

export interface TerminalOutput {
  id: string;
  data: string;
}

export interface TerminalExit {
  id: string;
  exitCode?: number;
  reason: string;
}

export const TERMINAL_LIMITS = {
  /** Per terminal, the most recent output kept for late joiners. */
  scrollbackBytes: 64 * 1024,
  /** One `terminal:input` payload at most (a paste beyond it is refused). */
  inputChunkBytes: 4096,
  /** Input per terminal per second; beyond it input is dropped and the sender told. */
  inputBytesPerSecond: 16 * 1024,
  /** Output per terminal per second; beyond it output is dropped with a marker (a `yes` loop). */
  outputBytesPerSecond: 256 * 1024,
  /** Open terminals per team. */
  perTeam: 8,
  cols: { min: 10, max: 500 },
  rows: { min: 4, max: 200 },
} as const;
