/**
 * The socket.io side of authorisation: the connection middleware accepts only a valid login
 * cookie for this exercise, from this server's own origin, and puts the caller in its rooms.
 * Refusals reach the client as `connect_error` with `data: { code, message }`.
 */
import type { AccessStore } from '../access/access-store';
import { audienceOf } from '../access/principal';
import { callerFromCookies } from '../http/authenticate';
import { rooms } from './rooms';
import type { CyrangeIo, CyrangeSocket } from './types';

class ConnectError extends Error {
  readonly data: { code: string; message: string };
  constructor(code: string, message: string) {
    super(message);
    this.data = { code, message };
  }
}

export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  publicUrl?: string,
): boolean {
  if (origin === undefined) return true; // not a browser: the cookie is the credential
  if (publicUrl && origin === publicUrl) return true;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export interface SocketAuthOptions {
  session: string;
  publicUrl: () => string | undefined;
  /** Most sockets one login may hold open at once. */
  maxSocketsPerLogin: number;
  now: () => number;
}

export function installSocketAuth(io: CyrangeIo, access: AccessStore, o: SocketAuthOptions): void {
  const open = new Map<string, number>();
  io.use((socket: CyrangeSocket, next) => {
    const headers = socket.request.headers;
    if (!originAllowed(headers.origin, headers.host, o.publicUrl())) {
      return next(new ConnectError('csrf_failed', `cross-origin connection from ${headers.origin} refused`));
    }
    const caller = callerFromCookies(access, o.session, headers.cookie);
    if (!caller) return next(new ConnectError('unauthenticated', 'log in with a join link first'));
    const login = caller.principal.loginId;
    const count = open.get(login) ?? 0;
    if (count >= o.maxSocketsPerLogin) {
      return next(
        new ConnectError('rate_limited', `this login already has ${count} connections — close some tabs`),
      );
    }
    open.set(login, count + 1);
    socket.data.principal = caller.principal;
    // The login ends on time even for a socket that stays open.
    const timer = setTimeout(() => socket.disconnect(true), Math.max(0, caller.expiresAt - o.now()));
    timer.unref();
    socket.once('disconnect', () => {
      clearTimeout(timer);
      const left = (open.get(login) ?? 1) - 1;
      if (left > 0) open.set(login, left);
      else open.delete(login);
    });
    next();
  });
}

export function joinRooms(socket: CyrangeSocket): void {
  const p = socket.data.principal;
  const list = [
    rooms.exercise(p.session),
    rooms.role(p.session, p.role),
    rooms.board(p.session, audienceOf(p)),
    rooms.login(p.loginId),
  ];
  if (p.team !== undefined)
    list.push(rooms.team(p.session, p.team), rooms.teamRole(p.session, p.team, p.role));
  socket.join(list);
}
