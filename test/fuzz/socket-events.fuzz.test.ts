/**
 * Every client→server socket event the wire types declare (terminal events included), sent by
 * every role over real socket.io connections with fast-check generated malformed payloads, without
 * acks, over `maxHttpBufferSize`, and in floods beyond the per-connection rate limit. Every request
 * is answered `{ ok: true, data }` or `{ ok: false, error }` in the one envelope (never `internal`,
 * never a missed deadline); the server never crashes and other clients stay unaffected.
 *
 * The terminals' shells are real local `cat` processes behind the terminal backend interface: the
 * subject is the server's socket layer and terminal manager, not Docker (test/terminal has that).
 * Reproduce: the seed is printed with every failure; `CYRANGE_FUZZ_SEED=N` replays a run.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fc from 'fast-check';
import { DEFAULTS } from '../../src/server/config';
import type { ShellStream, TerminalBackend } from '../../src/server/terminal/terminal-backend';
import type { Role } from '../../src/wire/roles';
import { TERMINAL_LIMITS } from '../../src/wire/terminal';
import { repeats } from '../reliability/support/scale';
import { type Client, type ClientSocket, connect } from '../server/support/harness';
import { startFakeTerminalServer } from '../terminal/support/terminal-range';
import { type ClientEvent, clientEvents } from './support/client-events';
import { nastyString, PROTO_KEYS, wrongType } from './support/hostile-values';
import { envelopeProblem, preview } from './support/verdict';

const SEED = Number(process.env.CYRANGE_FUZZ_SEED ?? 20261126);
/** Payloads per event and role. */
const CASES = repeats(40, 400);
const RATE = DEFAULTS.socketRatePerSecond;
const ACK_MS = 5000;

/** Real shells: `cat` echoes what is typed, exits when killed. */
class CatShell implements ShellStream {
  private readonly proc: ChildProcessWithoutNullStreams = spawn('cat', [], { stdio: 'pipe' });
  constructor() {
    this.proc.stdin.on('error', () => undefined); // typing into a shell that just died is not an error here
  }
  onData(l: (c: Buffer) => void) {
    this.proc.stdout.on('data', l);
  }
  onExit(l: (c: number | undefined) => void) {
    this.proc.on('exit', (code) => l(code ?? undefined));
  }
  write(d: string | Buffer) {
    this.proc.stdin.write(d);
  }
  async resize() {}
  close() {
    this.proc.kill('SIGKILL');
  }
}

const backend: TerminalBackend = {
  liveHosts: (team) => (team === 't01' || team === 't02' ? ['pc-victim'] : []),
  knownHost: (_team, host) => host === 'pc-victim' || host === 'pc-pol-007',
  open: async () => new CatShell(),
};

type Server = Awaited<ReturnType<typeof startFakeTerminalServer>>;
let server: Server;
const ROLES: { name: string; role: Role; team?: string }[] = [
  { name: 'spectator', role: 'spectator' },
  { name: 'team t01', role: 'team', team: 't01' },
  { name: 'team t02', role: 'team', team: 't02' },
  { name: 'evaluator', role: 'evaluator' },
  { name: 'controller', role: 'controller' },
];
const clients = new Map<string, Client>();
let events: ClientEvent[];
let openTerminal = '';

beforeAll(async () => {
  server = await startFakeTerminalServer(backend, 500);
  for (const r of ROLES) clients.set(r.name, await server.login(r.role, r.team));
  events = clientEvents();
  const s = await clients.get('team t01')!.socket();
  const opened = await ack(s, 'terminal:open', { host: 'pc-victim', cols: 80, rows: 24 });
  openTerminal = (opened as { data: { id: string } }).data.id;
}, 30_000);

afterAll(async () => {
  await server?.close();
});

function ack(s: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> {
  return (
    s.timeout(ACK_MS) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> }
  ).emitWithAck(event, ...args);
}

function emit(s: ClientSocket, event: string, ...args: unknown[]): void {
  (s as unknown as { emit(e: string, ...a: unknown[]): void }).emit(event, ...args);
}

/** Answers seen by code (`ok` for success), for the run's summary. */
const seen = new Map<string, number>();

/** Why an ack breaks the contract, or undefined. */
function ackProblem(a: unknown): string | undefined {
  const code = (a as { ok?: boolean; error?: { code?: string } } | null)?.ok
    ? 'ok'
    : String((a as { error?: { code?: string } } | null)?.error?.code);
  seen.set(code, (seen.get(code) ?? 0) + 1);
  if (typeof a !== 'object' || a === null) return `not an ack: ${preview(a)}`;
  const r = a as { ok?: unknown; data?: unknown; error?: { code?: string } };
  if (r.ok === true) return 'data' in r ? undefined : 'ok without data';
  if (r.ok !== false) return `ok is ${preview(r.ok)}`;
  const p = envelopeProblem({ error: r.error });
  if (p) return p;
  if (r.error?.code === 'internal' || r.error?.code === 'timeout')
    return `${r.error.code}: ${preview(r.error)}`;
  return undefined;
}

/** A documented payload key's value: usually well-formed, often hostile. */
const FIELD: Record<string, fc.Arbitrary<unknown>> = {
  team: fc.constantFrom('t01', 't02', 't99'),
  host: fc.constantFrom('pc-victim', 'pc-pol-007', 'dc'),
  id: fc.oneof(fc.constant('OPEN'), fc.string({ maxLength: 12 })),
  cols: fc.oneof(fc.integer({ min: TERMINAL_LIMITS.cols.min, max: TERMINAL_LIMITS.cols.max }), fc.double()),
  rows: fc.oneof(fc.integer({ min: TERMINAL_LIMITS.rows.min, max: TERMINAL_LIMITS.rows.max }), fc.double()),
  data: fc.string({ maxLength: 50 }),
};

function field(key: string): fc.Arbitrary<unknown> {
  return (
    fc
      .oneof(
        { weight: 4, arbitrary: FIELD[key] ?? fc.string({ maxLength: 20 }) },
        { weight: 1, arbitrary: nastyString },
        { weight: 1, arbitrary: wrongType },
      )
      // Over maxHttpBufferSize the connection is dropped, not answered: that has its own test below.
      .filter((p) => (JSON.stringify(p) ?? '').length < DEFAULTS.bodyLimit - 1024)
  );
}

/** A payload for `event`: its documented keys with hostile values, stray keys, or anything at all. */
function payloadFor(event: ClientEvent): fc.Arbitrary<unknown> {
  const keys = Object.fromEntries(event.keys.map((k) => [k, field(k)]));
  const stray = fc.dictionary(fc.constantFrom(...PROTO_KEYS, 'team', 'role', 'extra'), wrongType, {
    minKeys: 1,
    maxKeys: 2,
  });
  return (
    fc
      .oneof(
        { weight: 4, arbitrary: fc.record(keys) },
        { weight: 2, arbitrary: fc.record(keys, { requiredKeys: [] }) },
        { weight: 1, arbitrary: fc.tuple(fc.record(keys), stray).map(([k, x]) => ({ ...x, ...k })) },
        { weight: 1, arbitrary: fc.constantFrom(undefined, null, {}, [], '', 0, true) },
        { weight: 1, arbitrary: wrongType },
      )
      // Over maxHttpBufferSize the connection is dropped, not answered: that has its own test below.
      .filter((p) => (JSON.stringify(p) ?? '').length < DEFAULTS.bodyLimit - 1024)
  );
}

/**
 * Opens a terminal for t01 on `s` (the fuzz run may have closed the first one, or filled the
 * team's 8; idle ones close after the 500 ms grace, so a bounded retry finds room).
 */
async function openFresh(s: ClientSocket): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const a = (await ack(s, 'terminal:open', { host: 'pc-victim', cols: 80, rows: 24 })) as {
      ok: boolean;
      data?: { id: string };
    };
    if (a.ok && a.data) return a.data.id;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('no terminal could be opened for t01 within 6 s');
}

/** Live ids substituted for the `OPEN` marker, so some requests name a real terminal. */
function withIds(p: unknown): unknown {
  if (typeof p === 'object' && p !== null && (p as { id?: unknown }).id === 'OPEN')
    return { ...(p as object), id: openTerminal };
  return p;
}

/**
 * Sends `payloads` as `event`, at most RATE per socket (the limit is per connection and per
 * second): a fresh socket for each batch, so the handlers — not the limiter — answer.
 */
async function sendAll(client: Client, event: ClientEvent, payloads: unknown[]): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < payloads.length; i += RATE) {
    const s = await client.socket();
    for (const p of payloads.slice(i, i + RATE)) {
      const body = withIds(p);
      if (!event.acked) {
        emit(s, event.name, body);
        continue;
      }
      try {
        const problem = ackProblem(await ack(s, event.name, body));
        if (problem) problems.push(`${event.name} ${preview(body, 120)} → ${problem}`);
      } catch (e) {
        problems.push(`${event.name} ${preview(body, 120)} → no ack: ${(e as Error).message}`);
      }
    }
    // Fire-and-forget events are checked by the connection surviving them.
    if (!event.acked && problems.length === 0) {
      const alive = await ack(s, 'scoreboard:get', {}).catch((e: Error) => e.message);
      if (ackProblem(alive))
        problems.push(`${event.name}: the connection did not survive (${preview(alive)})`);
    }
    s.disconnect();
  }
  return problems;
}

it('derives the events from the wire types, terminal events included', () => {
  const names = events.map((e) => e.name);
  expect(names).toEqual(
    expect.arrayContaining(['scoreboard:get', 'team:score:get', 'terminal:open', 'terminal:input']),
  );
  expect(events.find((e) => e.name === 'terminal:input')?.acked).toBe(false);
});

it('answers malformed payloads to every event, as every role, with a valid ack — never internal or missed', async () => {
  const problems: string[] = [];
  let sent = 0;
  for (const [ei, event] of events.entries()) {
    for (const [ri, r] of ROLES.entries()) {
      const seed = SEED + ei * 100 + ri;
      const payloads = fc.sample(payloadFor(event), { numRuns: CASES, seed });
      sent += payloads.length;
      for (const p of await sendAll(clients.get(r.name)!, event, payloads))
        problems.push(`seed ${seed} ${r.name}: ${p}`);
    }
  }
  const codes = [...seen].map(([c, n]) => `${c}×${n}`).join(' ');
  process.stderr.write(
    `socket fuzz: ${events.length} events × ${ROLES.length} roles × ${CASES} = ${sent} payloads; acks ${codes}\n`,
  );
  expect(problems).toEqual([]);
}, 120_000);

it('ignores requests without an ack, extra arguments and unknown events, and keeps the connection', async () => {
  const s = await clients.get('team t01')!.socket();
  for (const e of events) emit(s, e.name, {});
  for (const e of events) emit(s, e.name);
  for (const name of ['nope', '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'x'.repeat(5000)])
    emit(s, name, { a: 1 }, () => undefined);
  emit(s, 'scoreboard:get', {}, 'not-a-function');
  await new Promise((r) => setTimeout(r, 1100)); // the next window of the rate limit
  expect(ackProblem(await ack(s, 'scoreboard:get', {}, 'extra', 1))).toBeUndefined();
  expect(s.connected).toBe(true);
  s.disconnect();
});

it('refuses an anonymous connection with connect_error unauthenticated', async () => {
  const s = connect(clients.get('controller')!.url);
  const err = await new Promise<{ data?: { code?: string } }>((resolve) => s.once('connect_error', resolve));
  expect(err.data?.code).toBe('unauthenticated');
  s.disconnect();
});

it('drops a connection that sends more than maxHttpBufferSize, and nobody else notices', async () => {
  const bystander = await clients.get('evaluator')!.socket();
  const offender = await clients.get('team t01')!.socket();
  const gone = new Promise<string>((resolve) => offender.once('disconnect', resolve));
  const huge = 'x'.repeat(DEFAULTS.bodyLimit + 1024);
  const holder = await clients.get('team t01')!.socket();
  const terminal = await openFresh(holder);
  emit(offender, 'team:score:get', { team: huge }, () => undefined);
  expect(await gone).toMatch(/transport close|transport error|parse error/);
  expect(ackProblem(await ack(bystander, 'scoreboard:get', {}))).toBeUndefined();
  // A huge terminal keystroke message is dropped the same way; the terminal lives on.
  const typist = await clients.get('team t01')!.socket();
  const typistGone = new Promise<string>((resolve) => typist.once('disconnect', resolve));
  emit(typist, 'terminal:input', { id: terminal, data: huge });
  await typistGone;
  expect(ackProblem(await ack(holder, 'terminal:attach', { id: terminal }))).toBeUndefined();
  bystander.disconnect();
  holder.disconnect();
});

it('rate-limits a flood per connection while another client is answered at once', async () => {
  const flood = repeats(200, 2000);
  const flooder = await clients.get('team t01')!.socket();
  const other = await clients.get('team t02')!.socket();
  const answers = Promise.all(Array.from({ length: flood }, () => ack(flooder, 'scoreboard:get', {})));
  const started = performance.now();
  const meanwhile = await ack(other, 'team:score:get', { team: 't02' });
  const otherMs = performance.now() - started;
  const all = (await answers) as { ok: boolean; error?: { code: string } }[];
  const ok = all.filter((a) => a.ok).length;
  const limited = all.filter((a) => !a.ok && a.error?.code === 'rate_limited').length;
  process.stderr.write(
    `socket flood: ${flood} requests → ${ok} answered, ${limited} rate_limited; bystander ${otherMs.toFixed(0)} ms\n`,
  );
  expect(ok).toBeLessThanOrEqual(RATE * 2); // the burst may straddle two one-second windows
  expect(ok + limited).toBe(flood);
  expect(ackProblem(meanwhile)).toBeUndefined();
  expect(otherMs).toBeLessThan(2000);
  expect(flooder.connected).toBe(true);
  flooder.disconnect();
  other.disconnect();
});

it('drops keystrokes beyond the input rate and tells the typist, and the shell still echoes', async () => {
  const s = await clients.get('team t01')!.socket();
  const terminal = await openFresh(s);
  let output = '';
  s.on('terminal:output', (o) => {
    if (o.id === terminal) output += o.data;
  });
  const chunk = 'y'.repeat(TERMINAL_LIMITS.inputChunkBytes);
  const chunks = Math.ceil((TERMINAL_LIMITS.inputBytesPerSecond * 3) / chunk.length);
  for (let i = 0; i < chunks; i++) emit(s, 'terminal:input', { id: terminal, data: chunk });
  const deadline = Date.now() + 5000;
  while (!output.includes('[cyrange:') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(output).toContain('[cyrange:');
  await new Promise((r) => setTimeout(r, 1100));
  emit(s, 'terminal:input', { id: terminal, data: 'still-here\n' });
  while (!output.includes('still-here') && Date.now() < deadline + 3000)
    await new Promise((r) => setTimeout(r, 50));
  expect(output).toContain('still-here');
  s.disconnect();
});
