/**
 * Socket requests of the terminal area. Only team members open, attach to, type into, resize or
 * close terminals, and only on their own team's live hosts: the team comes from the login, never
 * from the payload. Without a live range (no `--live`) every request answers `unavailable`.
 */
import { z } from 'zod';
import { TERMINAL_LIMITS } from '../../wire/terminal';
import { ApiError, parseOr422 } from '../http/api-error';
import type { SocketArea } from '../live/socket-areas';
import type { CyrangeSocket } from '../live/types';

const empty = z.union([z.undefined(), z.null(), z.object({}).strict()]);
const cols = z.number().int().min(TERMINAL_LIMITS.cols.min).max(TERMINAL_LIMITS.cols.max);
const rows = z.number().int().min(TERMINAL_LIMITS.rows.min).max(TERMINAL_LIMITS.rows.max);
const id = z.string().min(1).max(64);
const openRequest = z.object({ host: z.string().min(1).max(100), cols, rows }).strict();
const idRequest = z.object({ id }).strict();
const resizeRequest = z.object({ id, cols, rows }).strict();
const inputRequest = z.object({ id, data: z.string().max(TERMINAL_LIMITS.inputChunkBytes) }).strict();

function teamOf(socket: CyrangeSocket): string {
  const p = socket.data.principal;
  if (p.role !== 'team' || p.team === undefined)
    throw new ApiError('forbidden', 'terminals are for team members, on their own live hosts');
  return p.team;
}

export const terminalArea: SocketArea = (socket, ctx) => {
  const terminals = () => {
    if (!ctx.terminals)
      throw new ApiError('unavailable', 'no live range: the server was started without --live');
    return ctx.terminals;
  };
  ctx.request(socket, 'terminal:hosts', (payload) => {
    parseOr422(empty, payload, 'payload');
    const team = teamOf(socket);
    return { team, hosts: terminals().liveHosts(team) };
  });
  ctx.request(socket, 'terminal:list', (payload) => {
    parseOr422(empty, payload, 'payload');
    return terminals().list(teamOf(socket));
  });
  ctx.request(socket, 'terminal:open', async (payload) => {
    const team = teamOf(socket);
    const { host, ...size } = parseOr422(openRequest, payload, 'payload');
    const t = await terminals().open(team, host, size, socket.data.principal.loginId);
    return terminals().attach(t.id, team, socket);
  });
  ctx.request(socket, 'terminal:attach', (payload) => {
    const team = teamOf(socket);
    const { id } = parseOr422(idRequest, payload, 'payload');
    return terminals().attach(id, team, socket);
  });
  ctx.request(socket, 'terminal:resize', (payload) => {
    const team = teamOf(socket);
    const r = parseOr422(resizeRequest, payload, 'payload');
    return terminals().resize(r.id, team, r.cols, r.rows);
  });
  ctx.request(socket, 'terminal:close', (payload) => {
    const team = teamOf(socket);
    const { id } = parseOr422(idRequest, payload, 'payload');
    terminals().close(id, team);
    return { id };
  });
  // Keystrokes have no ack (one per key); what is refused comes back as terminal output.
  socket.on('terminal:input', (payload: unknown) => {
    if (!ctx.terminals || socket.data.principal.role !== 'team') return;
    const parsed = inputRequest.safeParse(payload);
    if (!parsed.success) return;
    try {
      ctx.terminals.input(parsed.data.id, teamOf(socket), parsed.data.data);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'rate_limited')
        socket.emit('terminal:output', {
          id: parsed.data.id,
          data: `\r\n\x1b[33m[cyrange: ${e.message}]\x1b[0m\r\n`,
        });
    }
  });
  socket.on('disconnect', (reason) => {
    ctx.terminals?.detach(socket.id, socket.data.principal.loginId, reason === 'server namespace disconnect');
  });
};
