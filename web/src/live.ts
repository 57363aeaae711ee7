/** The live connection: one typed socket.io client per page, same origin, cookie-authenticated. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/wire/socket-events';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | undefined;

export function live(): LiveSocket {
  socket ??= io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 5000 });
  return socket;
}
