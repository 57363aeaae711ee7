/**
 * The exercise server: express for REST, socket.io for live updates, over one HTTP server.
 * `createServer(deps)` wires its parts from what it is given (the event store, the session,
 * its plan, a clock, a writer) — nothing global — and `listen()` starts it; the started server
 * `stop()`s, safely twice. The store belongs to the caller and stays open.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';
import type { Plan } from '../compiler/plan';
import { systemTime, type TimeSource } from '../engine/clock/time-source';
import type { EventStore } from '../engine/store/event-store';
import type { StorageFault } from '../engine/store/storage-fault';
import type { RangeHealthSource } from '../range/health/health-source';
import type { ResponseRange } from '../response/live-restore';
import type { Role } from '../wire/roles';
import type { StorageStateView } from '../wire/storage';
import type { CreatedJoinLink } from '../wire/views';
import { AccessStore } from './access/access-store';
import { audienceOf } from './access/principal';
import type { ServerConfig } from './config';
import type { ExerciseControl } from './exercise/exercise-control';
import { type EventWriter, ExerciseLog } from './exercise/exercise-log';
import { ScoreKeeper } from './exercise/score-keeper';
import { errorHandler, notFound } from './http/api-error';
import { authenticate } from './http/authenticate';
import { csrfProtection } from './http/csrf';
import { closeServer, listenOn } from './http/listen';
import { RateLimiter } from './http/rate-limiter';
import { securityHeaders } from './http/security-headers';
import { type AlertOptions, createInvestigation } from './investigation/investigation-wiring';
import { pushActions } from './live/action-updates';
import { LiveUpdates } from './live/live-updates';
import { pushRangeHealth } from './live/range-health-push';
import { rooms } from './live/rooms';
import { SOCKET_AREAS, socketContext } from './live/socket-areas';
import { installSocketAuth, joinRooms } from './live/socket-auth';
import type { CyrangeIo } from './live/types';
import { ROUTE_GROUPS } from './routes';
import { createJoinLink } from './routes/link-routes';
import { installJoinPage } from './routes/public-routes';
import type { RouteContext } from './routes/route-context';
import type { RangeTeardown } from './setup/teardown-routes';
import type { TerminalBackend } from './terminal/terminal-backend';
import { TerminalManager } from './terminal/terminal-manager';
import { installWebConsole } from './web/web-console';

export interface ServerDeps {
  store: EventStore;
  session: string;
  plan: Plan;
  config: ServerConfig;
  time?: TimeSource;
  /** How facts are appended (default: straight to the store). Pass a session runner's `record`. */
  write?: (log: ExerciseLog) => EventWriter;
  /** The exercise's verbs for the controller (pass the session runner); without it those routes answer 503. */
  control?: ExerciseControl;
  /** Write scoring's outputs (`score.changed`, `expectation.resolved`) back to the log (default true). */
  writeScoringOutputs?: boolean;
  /** The built web console (default: `dist/web` of this package; served when present). */
  webRoot?: string;
  /** How often time alone rescored every team, ms (default 1000). */
  rescoreMs?: number;
  /** The live range (`serve --live`): response actions act on its containers. */
  liveRange?: ResponseRange;
  /** The live range the controller may tear down from the console (`POST /api/range/teardown`). */
  teardown?: RangeTeardown;
  /** Range health and host restores (`serve --live`); without it the health shows the simulation only. */
  rangeHealth?: RangeHealthSource;
  /** The live range's shells for the browser terminal (`serve --live`); without it terminals answer 503. */
  terminals?: TerminalBackend;
  /** How long a terminal nobody is attached to stays open for a reconnect, ms (default 30 s). */
  terminalGraceMs?: number;
  log?: (message: string) => void;
  /** How the scenario's detection rules are evaluated (tests shorten the tick and the lag). */
  alerts?: AlertOptions;
}

export interface StartedServer {
  url: string;
  port: number;
  /** Reads new events from the store now (call after another writer in this process appended). */
  notify(): void;
  /**
   * Tells every page whether the database takes writes (`undefined`: it does again). The runner
   * reports it (`onStorageFault`); pages show a banner until it clears.
   */
  storageFault(fault: StorageFault | undefined): void;
  createJoinLink(input: { role: Role; team?: string; label?: string; ttlHours?: number }): CreatedJoinLink;
  stop(): Promise<void>;
}

export function createServer(deps: ServerDeps): { listen(): Promise<StartedServer> } {
  const time = deps.time ?? systemTime;
  const say = deps.log ?? ((m: string) => process.stderr.write(`cyrange serve: ${m}\n`));
  const onError = (e: unknown) => say(`error: ${(e as Error)?.stack ?? String(e)}`);
  const { config, session, plan } = deps;
  const log = new ExerciseLog(deps.store, session, time, onError);
  const write = deps.write ? deps.write(log) : log.storeWriter();
  const access = new AccessStore(deps.store.db, () => time.now());
  const keeper = new ScoreKeeper(plan, session, () => time.now());
  let baseUrl = config.publicUrl ?? '';
  const publicUrl = () => config.publicUrl;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const http: HttpServer = createHttpServer(app);
  const io: CyrangeIo = new Server(http, { serveClient: false, maxHttpBufferSize: config.bodyLimit });

  const investigation = createInvestigation({
    plan,
    store: deps.store,
    log,
    session,
    write,
    io,
    ...(deps.alerts ? { alerts: deps.alerts } : {}),
    onError,
  });
  const ctx: RouteContext = {
    plan,
    session,
    access,
    log,
    keeper,
    write,
    ...(deps.control ? { control: deps.control } : {}),
    ...(deps.liveRange ? { liveRange: deps.liveRange } : {}),
    ...(deps.rangeHealth ? { rangeHealth: deps.rangeHealth } : {}),
    ...(deps.teardown ? { teardown: deps.teardown } : {}),
    config,
    loginLimiter: new RateLimiter(config.loginAttempts, config.loginWindowMs, () => time.now()),
    baseUrl: () => baseUrl,
    disconnectLogin: (loginId) => io.in(rooms.login(loginId)).disconnectSockets(true),
    now: () => time.now(),
    telemetry: investigation.telemetry,
    drafts: investigation.drafts,
  };

  app.use(securityHeaders(baseUrl.startsWith('https:')));
  const api = express.Router();
  api.use(authenticate(access, session));
  api.use(csrfProtection(publicUrl));
  api.use(express.json({ limit: config.bodyLimit, strict: false, type: 'application/json' }));
  for (const group of ROUTE_GROUPS) group(api, ctx);
  app.use('/api', api);
  installWebConsole(app, {
    plan,
    session,
    ...(deps.webRoot ? { root: deps.webRoot } : {}),
    time: () => ({ epochMs: log.state.created?.scenarioEpochMs, clock: log.state.clock }),
    log: say,
  });
  installJoinPage(app);
  app.use(notFound);
  app.use(errorHandler(say));

  const terminals = deps.terminals
    ? new TerminalManager(io, deps.terminals, {
        log: say,
        ...(deps.terminalGraceMs !== undefined ? { graceMs: deps.terminalGraceMs } : {}),
      })
    : undefined;
  installSocketAuth(io, access, {
    session,
    publicUrl,
    maxSocketsPerLogin: config.maxSocketsPerLogin,
    now: () => time.now(),
  });
  const sockets = socketContext(
    keeper,
    new RateLimiter(config.socketRatePerSecond, 1000, () => time.now()),
    say,
    terminals,
  );
  // What pages are told about the database; late joiners get it when writes are refused.
  let storage: StorageStateView = { ok: true };
  io.on('connection', (socket) => {
    if (!storage.ok) socket.emit('exercise:storage', storage);
    joinRooms(socket);
    for (const area of SOCKET_AREAS) area(socket, sockets);
    // Late joiners get the current state at once.
    const p = socket.data.principal;
    socket.emit('scoreboard:update', keeper.board(audienceOf(p)));
    if (p.team !== undefined) {
      const view = keeper.teamScore(p.team, 'team');
      if (view) socket.emit('team:score', view);
    }
  });

  pushActions(io, log);
  const unpushHealth = pushRangeHealth(io, log, plan, deps.rangeHealth);
  const live = new LiveUpdates({
    io,
    log,
    keeper,
    ...(deps.writeScoringOutputs === false ? {} : { writeOutputs: write }),
    tickMs: deps.rescoreMs ?? 1000,
    onError,
  });

  return {
    listen: async () => {
      const { port, url } = await listenOn(http, config);
      baseUrl = url;
      log.catchUp();
      live.start();
      log.follow(config.pollMs);
      investigation.start();
      let stopping: Promise<void> | undefined;
      return {
        url: baseUrl,
        port,
        notify: () => log.catchUp(),
        createJoinLink: (input) => createJoinLink(ctx, input),
        storageFault: (fault) => {
          storage = fault
            ? { ok: false, cause: fault.kind, message: fault.message, since: time.now() }
            : { ok: true };
          io.emit('exercise:storage', storage);
        },
        stop: () => {
          if (!stopping) {
            live.stop();
            unpushHealth();
            investigation.stop();
            log.stop();
            terminals?.closeAll();
            stopping = closeServer(io, http);
          }
          return stopping;
        },
      };
    },
  };
}
