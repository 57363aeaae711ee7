/**
 * The browser terminal's server side against the real engine: a socket.io client of team t01 opens
 * a shell on its live PC, runs commands, resizes, reconnects and gets the scrollback; other teams,
 * simulated hosts and non-team roles are refused; logging out ends the shell.
 */
import type { TerminalView } from '../../src/wire/terminal';
import type { ClientSocket } from '../server/support/harness';
import { startTerminalRange, type TerminalRange } from './support/terminal-range';

jest.setTimeout(120_000);

let range: TerminalRange;

beforeAll(async () => {
  range = await startTerminalRange();
}, 300_000);

afterAll(async () => {
  await range?.close();
}, 120_000);

/** Collects a socket's terminal output for one terminal id. */
function recorder(socket: ClientSocket, id: () => string) {
  let text = '';
  socket.on('terminal:output', (o) => {
    if (o.id === id()) text += o.data;
  });
  return {
    text: () => text,
    async waitFor(needle: string | RegExp, ms = 10_000): Promise<string> {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (typeof needle === 'string' ? text.includes(needle) : needle.test(text)) return text;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`terminal output never showed ${needle}; got:\n${text}`);
    },
  };
}

const ack = <T>(s: ClientSocket, event: string, payload: unknown) =>
  (s.timeout(10_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<T> }).emitWithAck(
    event,
    payload,
  );

describe('terminal on a live host', () => {
  let terminalId = '';

  it('opens a shell on the own workstation, runs hostname and id, without route capabilities', async () => {
    const t01 = await range.login('team', 't01');
    const s = await t01.socket();
    expect(await ack(s, 'terminal:hosts', {})).toEqual({
      ok: true,
      data: { team: 't01', hosts: ['pc-01', 'fw'] },
    });
    const out = recorder(s, () => terminalId);
    const opened = await ack<{ ok: true; data: TerminalView }>(s, 'terminal:open', {
      host: 'pc-01',
      cols: 100,
      rows: 30,
    });
    expect(opened).toMatchObject({
      ok: true,
      data: { team: 't01', host: 'pc-01', cols: 100, rows: 30, open: true },
    });
    terminalId = opened.data.id;
    s.emit('terminal:input', { id: terminalId, data: 'hostname; id; echo MARK-$((6*7)); stty size\r' });
    const text = await out.waitFor(/MARK-42\r?\n30 100/);
    expect(text).toContain('uid=0(root)');
    expect(text).toMatch(/pc-01/);
    // Route capabilities are dropped: root cannot change the routing table.
    s.emit('terminal:input', {
      id: terminalId,
      data: 'ip route add blackhole 10.99.0.0/24; echo ROUTE-RC=$?\r',
    });
    await out.waitFor(/ROUTE-RC=[1-9]/);
    expect(await ack(s, 'terminal:resize', { id: terminalId, cols: 132, rows: 43 })).toEqual({
      ok: true,
      data: { cols: 132, rows: 43 },
    });
    s.emit('terminal:input', { id: terminalId, data: 'echo SIZE-$(stty size | tr " " x)\r' });
    await out.waitFor('SIZE-43x132');
    s.disconnect();

    // Reconnect (a reload): the open terminal is listed and re-attaching replays the scrollback.
    const again = await t01.socket();
    const listed = await ack<{ ok: true; data: TerminalView[] }>(again, 'terminal:list', {});
    expect(listed.data.map((t) => t.id)).toEqual([terminalId]);
    const attached = await ack<{ ok: true; data: TerminalView }>(again, 'terminal:attach', {
      id: terminalId,
    });
    expect(attached.data.scrollback).toContain('MARK-42');
    expect(attached.data.scrollback).toContain('SIZE-43x132');
    const out2 = recorder(again, () => terminalId);
    again.emit('terminal:input', { id: terminalId, data: 'echo BACK-$((1+1))\r' });
    await out2.waitFor('BACK-2');

    // A second member of the team joining late sees the same scrollback.
    const mate = await (await range.login('team', 't01')).socket();
    const late = await ack<{ ok: true; data: TerminalView }>(mate, 'terminal:attach', { id: terminalId });
    expect(late.data.scrollback).toContain('BACK-2');
    mate.disconnect();
    again.disconnect();
  });

  it("never lets t02 reach t01's host or terminal", async () => {
    const t02 = await (await range.login('team', 't02')).socket();
    const leaked: unknown[] = [];
    t02.on('terminal:output', (o) => leaked.push(o));
    expect(await ack(t02, 'terminal:attach', { id: terminalId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    t02.emit('terminal:input', { id: terminalId, data: 'echo PWNED\r' });
    expect(await ack(t02, 'terminal:close', { id: terminalId })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await ack(t02, 'terminal:open', { host: `${range.exercise}-t01-pc-01`, cols: 80, rows: 24 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // The team is taken from the login: "pc-01" for t02 is t02's own PC (not running in this range).
    expect(await ack(t02, 'terminal:open', { host: 'pc-01', cols: 80, rows: 24 })).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(await ack(t02, 'terminal:list', {})).toEqual({ ok: true, data: [] });
    t02.disconnect();
    // t01's shell never received t02's keystrokes.
    const t01 = await (await range.login('team', 't01')).socket();
    const view = await ack<{ ok: true; data: TerminalView }>(t01, 'terminal:attach', { id: terminalId });
    expect(view.data.scrollback).not.toContain('PWNED');
    expect(leaked).toEqual([]);
    t01.disconnect();
  });

  it('refuses simulated hosts, unknown hosts, bad sizes and non-team roles with a clear error', async () => {
    const t01 = await (await range.login('team', 't01')).socket();
    const sim = await ack<{ ok: false; error: { code: string; message: string } }>(t01, 'terminal:open', {
      host: 'pc-02',
      cols: 80,
      rows: 24,
    });
    expect(sim).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(sim.error.message).toContain('simulated host');
    expect(await ack(t01, 'terminal:open', { host: 'nope', cols: 80, rows: 24 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await ack(t01, 'terminal:open', { host: 'pc-01', cols: 80000, rows: 24 })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed' },
    });
    t01.disconnect();
    for (const role of ['controller', 'evaluator', 'spectator'] as const) {
      const s = await (await range.login(role)).socket();
      expect(await ack(s, 'terminal:open', { host: 'pc-01', cols: 80, rows: 24 })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      s.disconnect();
    }
  });

  it('ends the shell when its login logs out', async () => {
    const login = await range.login('team', 't01');
    const s = await login.socket();
    const opened = await ack<{ ok: true; data: TerminalView }>(s, 'terminal:open', {
      host: 'pc-01',
      cols: 80,
      rows: 24,
    });
    const gone = new Promise((r) => s.once('disconnect', r));
    expect((await login.req('POST', '/api/auth/logout')).status).toBe(204);
    await gone;
    const other = await (await range.login('team', 't01')).socket();
    const listed = await ack<{ ok: true; data: TerminalView[] }>(other, 'terminal:list', {});
    expect(listed.data.map((t) => t.id)).not.toContain(opened.data.id);
    other.disconnect();
  });
});
