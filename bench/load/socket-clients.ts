/**
 * Socket.io clients in a child process (their decoding must not share the driver's event loop):
 * each connects with its login's cookie, stays connected all day and records every
 * `scoreboard:update` (version and arrival time) and how many team scores, inbox messages,
 * actions and alerts reached it. One client per audience may be the reference that also keeps
 * each board's totals, so a board version can be tied to the change that caused it.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { ServerToClientEvents } from '../../src/wire/socket-events';
import type { ScoreboardView } from '../../src/wire/views';

export interface ClientSpec {
  cookie: string;
  role: 'controller' | 'evaluator' | 'team' | 'spectator';
  team?: string;
  /** Keep every board's totals (one client per audience). */
  reference?: boolean;
}

export interface ClientRecord {
  role: ClientSpec['role'];
  team?: string;
  audience?: 'staff' | 'public';
  /** [version, arrival wall ms] of every board, in arrival order. */
  boards: [number, number][];
  teamScores: number;
  inbox: number[];
  actions: number[];
  alerts: number;
  connectErrors: string[];
  /** Disconnects before the driver asked the clients to leave. */
  disconnects: string[];
  /** Totals by team for each board version (reference clients only). */
  totals?: Record<number, Record<string, number>>;
  /** The last board's rows (team → total), for the final reconciliation. */
  finalTotals: Record<string, number>;
  finalVersion: number;
}

type ToChild = { kind: 'connect'; url: string; clients: ClientSpec[] } | { kind: 'report' };
type FromChild =
  | { kind: 'ready'; connected: number; errors: string[] }
  | { kind: 'report'; records: ClientRecord[] };

const clock = () => Math.round((performance.timeOrigin + performance.now()) * 10) / 10;
const CONNECT_MS = 30_000;

function connectOne(url: string, spec: ClientSpec, record: ClientRecord, leaving: () => boolean) {
  const s: Socket<ServerToClientEvents> = ioClient(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_MS,
    extraHeaders: { cookie: spec.cookie },
  });
  s.on('scoreboard:update', (b: ScoreboardView) => {
    record.boards.push([b.version, clock()]);
    record.audience = b.audience;
    const totals: Record<string, number> = {};
    for (const row of b.rows) totals[row.team] = row.total;
    record.finalTotals = totals;
    record.finalVersion = b.version;
    if (record.totals) record.totals[b.version] = totals;
  });
  s.on('team:score', () => {
    record.teamScores++;
  });
  s.on('inbox:message', (m) => {
    record.inbox.push(m.id);
  });
  s.on('team:action', (a) => {
    record.actions.push(a.id);
  });
  s.on('alert:raised', () => {
    record.alerts++;
  });
  s.on('disconnect', (reason) => {
    if (!leaving()) record.disconnects.push(`${clock()} ${reason}`);
  });
  return new Promise<Socket>((resolve) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e: Error & { data?: unknown }) => {
      record.connectErrors.push(`${e.message} ${JSON.stringify(e.data ?? null)}`);
      resolve(s);
    });
  });
}

function runChild(): void {
  const sockets: Socket[] = [];
  const records: ClientRecord[] = [];
  let leaving = false;
  process.on('message', async (m: ToChild) => {
    if (m.kind === 'report') {
      leaving = true;
      for (const s of sockets) s.disconnect();
      process.send?.({ kind: 'report', records } satisfies FromChild, () => process.exit(0));
      return;
    }
    // Connect in slices, as browsers arriving over a minute would, not as one burst.
    for (let i = 0; i < m.clients.length; i += 25) {
      const slice = m.clients.slice(i, i + 25);
      const connected = await Promise.all(
        slice.map((spec) => {
          const record: ClientRecord = {
            role: spec.role,
            ...(spec.team ? { team: spec.team } : {}),
            boards: [],
            teamScores: 0,
            inbox: [],
            actions: [],
            alerts: 0,
            connectErrors: [],
            disconnects: [],
            ...(spec.reference ? { totals: {} } : {}),
            finalTotals: {},
            finalVersion: -1,
          };
          records.push(record);
          return connectOne(m.url, spec, record, () => leaving);
        }),
      );
      sockets.push(...connected);
    }
    const errors = records.flatMap((r) => r.connectErrors);
    process.send?.({
      kind: 'ready',
      connected: sockets.filter((s) => s.connected).length,
      errors,
    } satisfies FromChild);
  });
}

/** The parent's handle on one child process of clients. */
export interface ClientGroup {
  connect(url: string, clients: ClientSpec[]): Promise<{ connected: number; errors: string[] }>;
  report(): Promise<ClientRecord[]>;
  kill(): void;
}

export function forkClientGroup(): ClientGroup {
  const fromSources = __filename.endsWith('.ts');
  const child = fork(__filename, ['clients'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: fromSources ? ['-r', join(__dirname, '../../test/support/register-ts.js')] : [],
  });
  const ask = <K extends FromChild['kind']>(m: ToChild, kind: K, ms: number) =>
    new Promise<Extract<FromChild, { kind: K }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client process: no ${kind} within ${ms} ms`)), ms);
      const on = (r: FromChild) => {
        if (r.kind !== kind) return;
        clearTimeout(timer);
        child.off('message', on);
        resolve(r as Extract<FromChild, { kind: K }>);
      };
      child.on('message', on);
      child.send(m);
    });
  return {
    connect: (url, clients) => ask({ kind: 'connect', url, clients }, 'ready', 120_000),
    report: async () => (await ask({ kind: 'report' }, 'report', 60_000)).records,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

if (require.main === module && process.argv[2] === 'clients') runChild();
