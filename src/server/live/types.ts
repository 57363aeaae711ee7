import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from '../../wire/socket-events';

// biome-ignore lint/complexity/noBannedTypes: socket.io's slot for inter-server events, unused here
type NoEvents = {};

export type CyrangeIo = Server<ClientToServerEvents, ServerToClientEvents, NoEvents, SocketData>;
export type CyrangeSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoEvents, SocketData>;
