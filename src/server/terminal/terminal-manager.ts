/**
 * The open terminals of an exercise. A terminal is one shell on one live host of one team; every
 * member of that team may attach to it (late joiners get the ring buffer first). Output fans out
 * through a socket.io room per terminal. A terminal closes when its shell exits, when it is closed,
 * when its opener's login goes (logout, revocation), or when nobody has been attached for `graceMs`
 * (a reload or a dropped connection within that time re-attaches with the scrollback).
 */
import { randomBytes } from 'node:crypto';
import { TERMINAL_LIMITS, type TerminalView } from '../../wire/terminal';
import { ApiError } from '../http/api-error';
import type { CyrangeIo } from '../live/types';
import { RingBuffer } from './ring-buffer';
import type { ShellStream, TerminalBackend } from './terminal-backend';

export interface TerminalManagerOptions {
  graceMs?: number;
  now?: () => number;
  log?: (m: string) => void;
}

interface Terminal {
  id: string;
  team: string;
  host: string;
  opener: string;
  cols: number;
  rows: number;
  shell: ShellStream;
  buffer: RingBuffer;
  attached: Set<string>;
  open: boolean;
  grace?: NodeJS.Timeout;
  inputWindow: { start: number; bytes: number };
  outputWindow: { start: number; bytes: number; dropped: boolean };
}

const room = (id: string) => `terminal:${id}`;

export class TerminalManager {
  private readonly terminals = new Map<string, Terminal>();
  private readonly graceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly io: CyrangeIo,
    readonly backend: TerminalBackend,
    private readonly options: TerminalManagerOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  liveHosts(team: string): string[] {
    return this.backend.liveHosts(team);
  }

  list(team: string): TerminalView[] {
    return [...this.terminals.values()].filter((t) => t.team === team).map((t) => this.view(t));
  }

  async open(
    team: string,
    host: string,
    size: { cols: number; rows: number },
    opener: string,
  ): Promise<Terminal> {
    if (!this.backend.liveHosts(team).includes(host)) {
      if (this.backend.knownHost(team, host))
        throw new ApiError(
          'validation_failed',
          `${host} is a simulated host: it has no shell — open a terminal on one of your live hosts`,
          'payload.host',
        );
      throw new ApiError('not_found', `no live host "${host}" in your team's network`, 'payload.host');
    }
    if (this.list(team).length >= TERMINAL_LIMITS.perTeam)
      throw new ApiError(
        'conflict',
        `your team has ${TERMINAL_LIMITS.perTeam} terminals open — close one first`,
        'payload.host',
      );
    let shell: ShellStream;
    try {
      shell = await this.backend.open(team, host, size);
    } catch (e) {
      this.options.log?.(`terminal on ${team}/${host}: ${(e as Error).message}`);
      throw new ApiError(
        'unavailable',
        `cannot open a shell on ${host} — is the host running?`,
        'payload.host',
      );
    }
    const t: Terminal = {
      id: randomBytes(9).toString('base64url'),
      team,
      host,
      opener,
      ...size,
      shell,
      buffer: new RingBuffer(TERMINAL_LIMITS.scrollbackBytes),
      attached: new Set(),
      open: true,
      inputWindow: { start: 0, bytes: 0 },
      outputWindow: { start: 0, bytes: 0, dropped: false },
    };
    this.terminals.set(t.id, t);
    shell.onData((chunk) => this.output(t, chunk));
    shell.onExit((exitCode) =>
      this.end(t, exitCode === undefined ? 'the shell ended' : `the shell exited (${exitCode})`, exitCode),
    );
    return t;
  }

  /** Joins `socket` to the terminal's output; the answer carries the scrollback. */
  attach(id: string, team: string, socket: { id: string; join(r: string): unknown }): TerminalView {
    const t = this.get(id, team);
    if (t.grace) clearTimeout(t.grace);
    t.grace = undefined;
    t.attached.add(socket.id);
    socket.join(room(t.id));
    return this.view(t);
  }

  input(id: string, team: string, data: string): void {
    const t = this.get(id, team);
    const bytes = Buffer.byteLength(data);
    const now = this.now();
    if (now - t.inputWindow.start >= 1000) t.inputWindow = { start: now, bytes: 0 };
    if (t.inputWindow.bytes + bytes > TERMINAL_LIMITS.inputBytesPerSecond)
      throw new ApiError('rate_limited', 'typing faster than the terminal accepts — input dropped');
    t.inputWindow.bytes += bytes;
    t.shell.write(data);
  }

  async resize(
    id: string,
    team: string,
    cols: number,
    rows: number,
  ): Promise<{ cols: number; rows: number }> {
    const t = this.get(id, team);
    t.cols = cols;
    t.rows = rows;
    await t.shell.resize(cols, rows);
    return { cols, rows };
  }

  close(id: string, team: string, reason = 'closed'): void {
    this.end(this.get(id, team), reason);
  }

  /** A socket went away: detach it; `forced` (logout, revocation) closes what its login opened. */
  detach(socketId: string, loginId: string, forced: boolean): void {
    for (const t of [...this.terminals.values()]) {
      if (forced && t.opener === loginId) {
        this.end(t, 'the login ended');
        continue;
      }
      if (!t.attached.delete(socketId) || t.attached.size > 0) continue;
      t.grace = setTimeout(() => this.end(t, 'nobody attached'), this.graceMs);
      t.grace.unref();
    }
  }

  closeAll(reason = 'the server stopped'): void {
    for (const t of [...this.terminals.values()]) this.end(t, reason);
  }

  private get(id: string, team: string): Terminal {
    const t = this.terminals.get(id);
    // Another team's terminal is answered like a missing one: its id reveals nothing.
    if (!t || t.team !== team) throw new ApiError('not_found', `no open terminal "${id}"`, 'payload.id');
    return t;
  }

  private output(t: Terminal, chunk: Buffer): void {
    const now = this.now();
    const w = t.outputWindow;
    if (now - w.start >= 1000) {
      t.outputWindow = { start: now, bytes: 0, dropped: false };
    }
    const cur = t.outputWindow;
    if (cur.bytes + chunk.length > TERMINAL_LIMITS.outputBytesPerSecond) {
      if (!cur.dropped) {
        cur.dropped = true;
        this.emit(t, Buffer.from('\r\n\x1b[33m[cyrange: output too fast — some output dropped]\x1b[0m\r\n'));
      }
      return;
    }
    cur.bytes += chunk.length;
    this.emit(t, chunk);
  }

  private emit(t: Terminal, chunk: Buffer): void {
    t.buffer.push(chunk);
    this.io.to(room(t.id)).emit('terminal:output', { id: t.id, data: chunk.toString('utf8') });
  }

  private end(t: Terminal, reason: string, exitCode?: number): void {
    if (!t.open) return;
    t.open = false;
    if (t.grace) clearTimeout(t.grace);
    this.terminals.delete(t.id);
    t.shell.close();
    this.io
      .to(room(t.id))
      .emit('terminal:exit', { id: t.id, reason, ...(exitCode === undefined ? {} : { exitCode }) });
    this.io.in(room(t.id)).socketsLeave(room(t.id));
  }

  private view(t: Terminal): TerminalView {
    return {
      id: t.id,
      team: t.team,
      host: t.host,
      cols: t.cols,
      rows: t.rows,
      scrollback: t.buffer.text(),
      open: t.open,
    };
  }
}
