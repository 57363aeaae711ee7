/**
 * The team's terminals: a shell on each of the team's own live hosts, in xterm.js over socket.io.
 * The server keeps each terminal's recent output, so a reload or a dropped connection re-attaches
 * with the scrollback, and a teammate can join a terminal someone else opened.
 * Loaded only by /terminal (a dynamic import in main.ts); its style sheet, terminal.css with
 * xterm.js's, is linked by that page's shell.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import type { Ack } from '../../../src/wire/errors';
import type { TerminalView } from '../../../src/wire/terminal';
import type { Me } from '../../../src/wire/views';
import { h, mount } from '../dom';
import { lang, onLangChange } from '../i18n';
import { frame } from '../layout';
import { live } from '../live';
import { adoptInjectedStyles } from './terminal-styles';

const TEXT = {
  en: {
    title: 'Terminals',
    hosts: 'Your live hosts',
    hostsHelp: 'A root shell on one of your team’s live hosts. Simulated hosts have no shell.',
    open: 'Open a shell on {host}',
    openTerminals: 'Open terminals',
    none: 'No terminal open. Pick a host.',
    attach: 'Show',
    close: 'Close',
    connecting: 'Connecting…',
    connected: 'Connected to {host}',
    reconnecting: 'Connection lost — reconnecting…',
    ended: 'Session ended: {reason}',
    failed: 'Could not open: {message}',
    noLive: 'No live range is attached to this exercise, so there are no shells.',
  },
  ja: {
    title: 'ターミナル',
    hosts: 'チームの実機ホスト',
    hostsHelp: 'チームの実機ホストの root シェルです。シミュレーションのホストにはシェルはありません。',
    open: '{host} でシェルを開く',
    openTerminals: '開いているターミナル',
    none: 'ターミナルは開いていません。ホストを選んでください。',
    attach: '表示',
    close: '閉じる',
    connecting: '接続中…',
    connected: '{host} に接続しました',
    reconnecting: '接続が切れました — 再接続中…',
    ended: 'セッション終了: {reason}',
    failed: '開けませんでした: {message}',
    noLive: 'この演習には実機レンジがないため、シェルはありません。',
  },
};
type Key = keyof (typeof TEXT)['en'];
const tt = (k: Key, vars: Record<string, string> = {}) =>
  TEXT[lang()][k].replace(/\{(\w+)\}/g, (_, v: string) => vars[v] ?? '');

const MAX_INPUT_CHUNK = 4096;

export function terminalPage(me: Me): void {
  const socket = live();
  const ask = <T>(event: string, payload: unknown): Promise<Ack<T>> =>
    (socket.timeout(8000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(
      event,
      payload,
    );
  let hosts: string[] = [];
  let open: TerminalView[] = [];
  let current: string | undefined;
  let currentHost = '';
  let error = '';
  const term = new Terminal({
    cursorBlink: true,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Noto Sans Mono CJK JP", monospace',
    fontSize: 14,
    scrollback: 5000,
    theme: { background: '#0f1720', foreground: '#e6edf3' },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  const screen = h('div', { class: 'xterm-screen-box', id: 'terminal-screen' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'terminal-status' });
  const side = h('aside', { class: 'card terminal-side' });
  const heading = h('h1', {});
  const root = h(
    'div',
    { class: 'terminal-page' },
    side,
    h('section', { class: 'card terminal-main' }, heading, status, screen),
  );

  function say(text: string, kind: '' | 'ok' | 'error' = ''): void {
    status.className = `status ${kind}`.trim();
    status.textContent = text;
  }

  function renderSide(): void {
    mount(
      side,
      h('h2', {}, tt('hosts')),
      h('p', { class: 'muted' }, tt('hostsHelp')),
      error ? h('p', { class: 'status error' }, error) : null,
      h(
        'ul',
        { class: 'host-list' },
        ...hosts.map((host) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'button secondary host-open',
                'data-host': host,
                'aria-label': tt('open', { host }),
                onclick: () => void openOn(host),
              },
              '▸ ',
              host,
            ),
          ),
        ),
      ),
      h('h2', {}, tt('openTerminals')),
      open.length === 0
        ? h('p', { class: 'muted' }, tt('none'))
        : h(
            'ul',
            { class: 'terminal-list' },
            ...open.map((t) =>
              h(
                'li',
                { class: t.id === current ? 'current' : '' },
                h('span', { class: 'mono' }, t.host),
                ' ',
                h(
                  'button',
                  { type: 'button', class: 'link', onclick: () => void attach(t.id) },
                  tt('attach'),
                ),
                ' ',
                h(
                  'button',
                  { type: 'button', class: 'link', onclick: () => void closeTerminal(t.id) },
                  tt('close'),
                ),
              ),
            ),
          ),
    );
    heading.textContent = currentHost ? `${tt('title')} — ${currentHost}` : tt('title');
  }

  function show(view: TerminalView): void {
    current = view.id;
    currentHost = view.host;
    term.reset();
    term.write(view.scrollback);
    fit.fit();
    void ask('terminal:resize', { id: view.id, cols: term.cols, rows: term.rows });
    term.focus();
    say(tt('connected', { host: view.host }), 'ok');
    renderSide();
  }

  async function refresh(): Promise<void> {
    const [hs, list] = await Promise.all([
      ask<{ team: string; hosts: string[] }>('terminal:hosts', {}),
      ask<TerminalView[]>('terminal:list', {}),
    ]);
    if (!hs.ok) {
      error = hs.error.code === 'unavailable' ? tt('noLive') : hs.error.message;
      renderSide();
      return;
    }
    error = '';
    hosts = hs.data.hosts;
    open = list.ok ? list.data : [];
    renderSide();
  }

  async function openOn(host: string): Promise<void> {
    fit.fit();
    say(tt('connecting'));
    const a = await ask<TerminalView>('terminal:open', { host, cols: term.cols, rows: term.rows });
    if (!a.ok) {
      say(tt('failed', { message: a.error.message }), 'error');
      return;
    }
    show(a.data);
    await refresh();
  }

  async function attach(id: string): Promise<void> {
    const a = await ask<TerminalView>('terminal:attach', { id });
    if (a.ok) show(a.data);
    else say(a.error.message, 'error');
  }

  async function closeTerminal(id: string): Promise<void> {
    await ask('terminal:close', { id });
    await refresh();
  }

  term.onData((data) => {
    if (!current) return;
    for (let i = 0; i < data.length; i += MAX_INPUT_CHUNK)
      socket.emit('terminal:input', { id: current, data: data.slice(i, i + MAX_INPUT_CHUNK) });
  });
  term.onResize(({ cols, rows }) => {
    if (current) void ask('terminal:resize', { id: current, cols, rows });
  });
  socket.on('terminal:output', (o) => {
    if (o.id === current) term.write(o.data);
  });
  socket.on('terminal:exit', (e) => {
    if (e.id === current) {
      term.write(`\r\n\x1b[33m[${tt('ended', { reason: e.reason })}]\x1b[0m\r\n`);
      say(tt('ended', { reason: e.reason }));
      current = undefined;
    }
    void refresh();
  });
  socket.on('disconnect', () => say(tt('reconnecting'), 'error'));
  const onConnect = () => {
    // (Re)connected: re-attach the terminal we showed, with its scrollback.
    void refresh().then(() => {
      if (current && open.some((t) => t.id === current)) void attach(current);
      else if (!current && open.length > 0) void attach(open[0]!.id);
    });
  };
  socket.on('connect', onConnect);

  const render = () => {
    const main = frame('terminal', me, 'wide');
    mount(main, root);
    renderSide();
  };
  onLangChange(render);
  render();
  adoptInjectedStyles(screen);
  term.open(screen);
  fit.fit();
  window.addEventListener('resize', () => fit.fit());
  if (socket.connected) onConnect();
}
