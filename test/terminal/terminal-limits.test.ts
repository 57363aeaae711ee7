/**
 * The terminal manager's bounds with a scripted shell behind a real server and real socket.io
 * clients: the ring buffer keeps the latest 64 KiB (never a cut character), input and output are
 * rate-limited, a team has at most 8 terminals, and a terminal nobody is attached to closes after
 * the grace period while one re-attached in time lives on.
 */
import { RingBuffer } from '../../src/server/terminal/ring-buffer';
import type { ShellStream, TerminalBackend } from '../../src/server/terminal/terminal-backend';
import { TERMINAL_LIMITS, type TerminalView } from '../../src/wire/terminal';
import type { ClientSocket } from '../server/support/harness';
import { startFakeTerminalServer } from './support/terminal-range';

class FakeShell implements ShellStream {
  data: ((c: Buffer) => void)[] = [];
  exits: ((c: number | undefined) => void)[] = [];
  input = '';
  size = { cols: 0, rows: 0 };
  closed = false;
  onData(l: (c: Buffer) => void) {
    this.data.push(l);
  }
  onExit(l: (c: number | undefined) => void) {
    this.exits.push(l);
  }
  write(d: string | Buffer) {
    this.input += String(d);
  }
  async resize(cols: number, rows: number) {
    this.size = { cols, rows };
  }
  close() {
    this.closed = true;
  }
  print(s: string | Buffer) {
    for (const l of this.data) l(Buffer.isBuffer(s) ? s : Buffer.from(s));
  }
}

const shells: FakeShell[] = [];
const backend: TerminalBackend = {
  liveHosts: (team) => (team === 't01' || team === 't02' ? ['pc-victim'] : []),
  knownHost: (_team, host) => host === 'pc-victim' || host === 'pc-pol-007',
  open: async () => {
    const s = new FakeShell();
    shells.push(s);
    return s;
  },
};

let h: Awaited<ReturnType<typeof startFakeTerminalServer>>;

beforeAll(async () => {
  h = await startFakeTerminalServer(backend, 2000);
});
afterAll(async () => {
  await h.close();
});

const ack = <T>(s: ClientSocket, event: string, payload: unknown) =>
  (s.timeout(3000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(
    event,
    payload,
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('keeps the latest bytes in the ring buffer without cutting a character', () => {
  const ring = new RingBuffer(8);
  ring.push(Buffer.from('abc'));
  ring.push(Buffer.from('défghij'));
  expect(Buffer.byteLength(ring.text())).toBeLessThanOrEqual(8);
  expect(ring.text()).toBe('défghij'); // 8 bytes: é takes two
  const big = new RingBuffer(4);
  big.push(Buffer.from('0123456789'));
  expect(big.text()).toBe('6789');
  const cut = new RingBuffer(5);
  cut.push(Buffer.from('xxé1234')); // é is 2 bytes: the kept 5 bytes start inside it
  expect(cut.text()).toBe('1234');
});

it('bounds input, output, terminals per team, and closes terminals nobody attaches to', async () => {
  const t01 = await h.login('team', 't01');
  const s = await t01.socket();
  const opened = await ack<{ ok: true; data: TerminalView }>(s, 'terminal:open', {
    host: 'pc-victim',
    cols: 80,
    rows: 24,
  });
  expect(opened.ok).toBe(true);
  const shell = shells.at(-1)!;
  let out = '';
  s.on('terminal:output', (o) => {
    out += o.data;
  });
  // Output beyond the per-second budget is dropped with one marker.
  const chunk = Buffer.alloc(64 * 1024, 'y');
  for (let i = 0; i < 8; i++) shell.print(chunk);
  await sleep(200);
  expect(out.length).toBeLessThanOrEqual(TERMINAL_LIMITS.outputBytesPerSecond + 200);
  expect(out).toContain('output too fast');
  // The scrollback holds at most 64 KiB.
  const view = await ack<{ ok: true; data: TerminalView }>(s, 'terminal:attach', { id: opened.data.id });
  expect(Buffer.byteLength(view.data.scrollback)).toBeLessThanOrEqual(TERMINAL_LIMITS.scrollbackBytes);
  // Input: a message over 4 KiB is refused; more than 16 KiB in a second is dropped with a notice.
  s.emit('terminal:input', { id: opened.data.id, data: 'x'.repeat(TERMINAL_LIMITS.inputChunkBytes + 1) });
  for (let i = 0; i < 6; i++) s.emit('terminal:input', { id: opened.data.id, data: 'k'.repeat(4000) });
  await sleep(200);
  expect(shell.input).not.toContain('x');
  expect(shell.input.length).toBe(16_000);
  expect(out).toContain('typing faster');
  // Resize reaches the shell.
  expect(await ack(s, 'terminal:resize', { id: opened.data.id, cols: 120, rows: 40 })).toEqual({
    ok: true,
    data: { cols: 120, rows: 40 },
  });
  expect(shell.size).toEqual({ cols: 120, rows: 40 });
  // At most 8 per team.
  for (let i = 1; i < TERMINAL_LIMITS.perTeam; i++)
    expect(await ack(s, 'terminal:open', { host: 'pc-victim', cols: 80, rows: 24 })).toMatchObject({
      ok: true,
    });
  expect(await ack(s, 'terminal:open', { host: 'pc-victim', cols: 80, rows: 24 })).toMatchObject({
    ok: false,
    error: { code: 'conflict' },
  });
  // A simulated host is refused with why.
  expect(await ack(s, 'terminal:open', { host: 'pc-pol-007', cols: 80, rows: 24 })).toMatchObject({
    ok: false,
    error: { code: 'validation_failed', message: expect.stringContaining('simulated host') },
  });
  // Disconnected: re-attached within the grace period the terminal lives; otherwise it closes.
  s.disconnect();
  await sleep(100);
  const back = await t01.socket();
  expect(await ack(back, 'terminal:attach', { id: opened.data.id })).toMatchObject({ ok: true });
  back.disconnect();
  await sleep(3000);
  const later = await t01.socket();
  expect(await ack(later, 'terminal:list', {})).toEqual({ ok: true, data: [] });
  expect(shells.every((x) => x.closed)).toBe(true);
  later.disconnect();
});

it('ends the terminal when the shell exits, and tells the attached sockets', async () => {
  const s = await (await h.login('team', 't02')).socket();
  const opened = await ack<{ ok: true; data: TerminalView }>(s, 'terminal:open', {
    host: 'pc-victim',
    cols: 80,
    rows: 24,
  });
  const exit = new Promise<{ id: string; exitCode?: number; reason: string }>((r) =>
    s.once('terminal:exit', r),
  );
  for (const l of shells.at(-1)!.exits) l(0);
  expect(await exit).toEqual({ id: opened.data.id, exitCode: 0, reason: 'the shell exited (0)' });
  expect(await ack(s, 'terminal:list', {})).toEqual({ ok: true, data: [] });
  s.disconnect();
});
