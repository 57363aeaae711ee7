/**
 * Listening and closing, shared by the exercise server and the setup server: both serve express
 * and socket.io over one HTTP server, bind the configured address, and name themselves by the
 * public URL when one is configured (join links must carry the address participants use).
 */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as IoServer } from 'socket.io';
import type { ServerConfig } from '../config';

/** Binds `config.host:config.port` (0 picks a free port); rejects when the address is taken. */
export function listenOn(
  http: HttpServer,
  config: Pick<ServerConfig, 'host' | 'port' | 'publicUrl'>,
): Promise<{ port: number; url: string }> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => {
      http.off('error', reject);
      const { port } = http.address() as AddressInfo;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      resolve({ port, url: config.publicUrl ?? `http://${host}:${port}` });
    });
  });
}

/** Drops every socket and open connection, then closes; resolves once socket.io has closed. */
export function closeServer(io: IoServer, http: HttpServer): Promise<void> {
  return new Promise((done) => {
    io.disconnectSockets(true);
    http.closeAllConnections();
    io.close(() => done());
  });
}
