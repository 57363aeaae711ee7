/**
 * The setup server: what `cyrange serve` without a FILE runs until the controller launches an
 * exercise. The same HTTP stack as the exercise server (security headers, join links and login
 * cookies in the same database, CSRF, JSON errors) and socket.io for launch progress, but only
 * the controller's setup routes. Its logins belong to the pseudo-session `SETUP_SESSION`, so they
 * never open the exercise; at hand-over each controller page is given a fresh controller login
 * of the launched session and acks it before this server closes.
 */
import { createServer as createHttpServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import type { EventStore } from '../../engine/store/event-store';
import type { Clients } from '../../range/docker/clients';
import type { LaunchedView } from '../../wire/setup';
import { AccessStore } from '../access/access-store';
import type { ServerConfig } from '../config';
import { errorHandler, notFound } from '../http/api-error';
import { authenticate } from '../http/authenticate';
import { csrfProtection } from '../http/csrf';
import { closeServer, listenOn } from '../http/listen';
import { RateLimiter } from '../http/rate-limiter';
import { securityHeaders } from '../http/security-headers';
import { rooms } from '../live/rooms';
import { installSocketAuth } from '../live/socket-auth';
import type { CyrangeIo } from '../live/types';
import { authRoutes } from '../routes/auth-routes';
import { joinUrl } from '../routes/link-routes';
import { installJoinPage } from '../routes/public-routes';
import type { RouteContext } from '../routes/route-context';
import { LaunchStore } from './launch-store';
import { type Launched, Launcher } from './launcher';
import type { ScenarioLibrary } from './scenario-library';
import { installSetupConsole } from './setup-console';
import { setupRoutes } from './setup-routes';

/** The session id setup logins carry; no exercise session can have it (`~` is never in a generated id). */
export const SETUP_SESSION = '~setup';
/** How long hand-over waits for the controllers' pages to ack the new login. */
const HANDOVER_ACK_MS = 3000;
/** Scenario text plus the other fields of a launch body. */
const SETUP_BODY_LIMIT = 1024 * 1024 + 64 * 1024;

export interface SetupServerDeps {
  store: EventStore;
  config: ServerConfig;
  library: ScenarioLibrary;
  connect: () => Promise<Clients>;
  webRoot?: string;
  concurrency?: number;
  log?: (message: string) => void;
}

export interface StartedSetup {
  url: string;
  port: number;
  launcher: Launcher;
  /** A controller join link of the setup (printed at start). */
  controllerLink(): { url: string; token: string };
  /** Resolves when a launch finished; the exercise is then ready to be served. */
  launched: Promise<Launched>;
  /**
   * Gives every connected controller page a controller login of `session` (waiting up to 3 s for
   * their acks), then stops this server so the exercise server can take the port.
   */
  handover(session: string, ttlMs: number): Promise<LaunchedView>;
  stop(): Promise<void>;
}

export function createSetupServer(deps: SetupServerDeps): { listen(): Promise<StartedSetup> } {
  const say = deps.log ?? ((m: string) => process.stderr.write(`cyrange serve: ${m}\n`));
  const { config } = deps;
  const now = () => Date.now();
  const access = new AccessStore(deps.store.db, now);
  const launches = new LaunchStore(deps.store.db, now);
  let baseUrl = config.publicUrl ?? '';
  const publicUrl = () => config.publicUrl;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const http = createHttpServer(app);
  const io: CyrangeIo = new Server(http, { serveClient: false, maxHttpBufferSize: config.bodyLimit });

  let onLaunched: (l: Launched) => void = () => {};
  const launched = new Promise<Launched>((resolve) => {
    onLaunched = resolve;
  });
  launches.markInterrupted();
  const launcher = new Launcher({
    store: deps.store,
    launches,
    connect: deps.connect,
    ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
    onState: (state) => io.emit('setup:state', state),
    onProgress: (progress) => io.emit('setup:progress', progress),
    onLaunched: (l) => onLaunched(l),
    log: say,
  });

  // The auth routes read only these fields of a route context.
  const authContext: Pick<
    RouteContext,
    'access' | 'session' | 'loginLimiter' | 'config' | 'baseUrl' | 'now' | 'disconnectLogin'
  > = {
    access,
    session: SETUP_SESSION,
    loginLimiter: new RateLimiter(config.loginAttempts, config.loginWindowMs, now),
    config,
    baseUrl: () => baseUrl,
    now,
    disconnectLogin: (loginId) => io.in(rooms.login(loginId)).disconnectSockets(true),
  };

  app.use(securityHeaders(baseUrl.startsWith('https:')));
  const api = express.Router();
  api.use(authenticate(access, SETUP_SESSION));
  api.use(csrfProtection(publicUrl));
  api.use(express.json({ limit: SETUP_BODY_LIMIT, strict: false, type: 'application/json' }));
  api.get('/health', (_req, res) => {
    res.json({ ok: true, mode: 'setup', phase: launcher.view().phase });
  });
  authRoutes(api, authContext as RouteContext);
  setupRoutes(api, { library: deps.library, launcher });
  app.use('/api', api);
  installSetupConsole(app, { ...(deps.webRoot ? { root: deps.webRoot } : {}), log: say });
  installJoinPage(app);
  app.use(notFound);
  app.use(errorHandler(say));

  installSocketAuth(io, access, {
    session: SETUP_SESSION,
    publicUrl,
    maxSocketsPerLogin: config.maxSocketsPerLogin,
    now,
  });
  io.on('connection', (socket) => {
    if (socket.data.principal.role !== 'controller') {
      socket.disconnect(true);
      return;
    }
    socket.join(rooms.login(socket.data.principal.loginId));
    socket.emit('setup:state', launcher.view());
  });

  return {
    listen: async () => {
      const { port, url } = await listenOn(http, config);
      baseUrl = url;
      let stopping: Promise<void> | undefined;
      const stop = () => {
        stopping ??= launcher.settled().then(() => closeServer(io, http));
        return stopping;
      };
      return {
        url: baseUrl,
        port,
        launcher,
        launched,
        controllerLink() {
          const { token } = access.createLink({
            session: SETUP_SESSION,
            role: 'controller',
            label: 'controller',
            ttlMs: config.linkTtlMs,
          });
          return { token, url: joinUrl(baseUrl, token) };
        },
        async handover(session, ttlMs) {
          const { token } = access.createLink({
            session,
            role: 'controller',
            label: 'controller',
            ttlMs,
          });
          const view: LaunchedView = { session, token, url: joinUrl(baseUrl, token) };
          try {
            await io.timeout(HANDOVER_ACK_MS).emitWithAck('setup:launched', view);
          } catch {
            say(
              'a controller page did not ack the hand-over in time; it can use the printed controller link',
            );
          }
          await stop();
          return view;
        },
        stop,
      };
    },
  };
}
