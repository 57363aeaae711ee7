/**
 * Investigate: a SIEM-like search over the team's telemetry (time range, ECS field filters, free
 * text, a histogram of matches, a result table with expandable events, paging) beside the team's
 * alerts, which arrive live over the socket. Every string from the range is shown as text.
 */
import type { AlertView, TelemetryDocument, TelemetrySearchResult } from '../../../src/wire/investigation';
import type { Me } from '../../../src/wire/views';
import { ApiFailure, api } from '../api';
import { h, mount, svg } from '../dom';
import { onLangChange } from '../i18n';
import { frame, statusLine } from '../layout';
import { live } from '../live';
import { clockOf, exerciseNow, recordMs, summaryOf, teamBase, wt } from './ws-common';

const FIELDS = [
  'host.name',
  'source.ip',
  'destination.ip',
  'destination.domain',
  'user.name',
  'event.action',
  'event.category',
  'url.full',
  'process.name',
  'dns.question.name',
] as const;

const PRESETS = [
  { id: 'p15m', ms: 15 * 60_000, interval: 60_000 },
  { id: 'p1h', ms: 3600_000, interval: 60_000 },
  { id: 'p4h', ms: 4 * 3600_000, interval: 5 * 60_000 },
  { id: 'p1d', ms: 24 * 3600_000, interval: 30 * 60_000 },
] as const;

type PresetId = (typeof PRESETS)[number]['id'] | 'custom';

const PAGE = 50;

/** datetime-local value (in the browser's zone) ↔ ms. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

function intervalFor(spanMs: number): number {
  const raw = Math.ceil(spanMs / 60 / 60_000) * 60_000;
  return Math.max(60_000, raw);
}

export function investigatePage(me: Me): void {
  const team = me.team!;
  const base = teamBase(team);
  const state = {
    preset: 'p1h' as PresetId,
    from: 0,
    to: 0,
    filters: new Map<string, string>(),
    text: '',
    cursors: [undefined] as (string | undefined)[],
    page: 0,
    result: undefined as TelemetrySearchResult | undefined,
    histogram: [] as { ts: number; count: number }[],
    interval: 60_000,
    open: new Set<number>(),
    busy: false,
    error: '',
  };
  let alerts: AlertView[] = [];

  const status = statusLine();
  const fieldSel = h('select', { id: 'filter-field', 'aria-label': 'field' });
  const valueIn = h('input', { id: 'filter-value', type: 'text', size: 24 });
  const textIn = h('input', { id: 'search-text', type: 'search', class: 'text' });
  const fromIn = h('input', { id: 'range-from', type: 'datetime-local', step: 60 });
  const toIn = h('input', { id: 'range-to', type: 'datetime-local', step: 60 });
  const presetBox = h('div', { class: 'ws-presets', role: 'group' });
  const chips = h('div', { class: 'ws-filters', id: 'active-filters' });
  const histBox = h('div', { id: 'histogram' });
  const results = h('div', { id: 'results' });
  const pager = h('div', { class: 'ws-pager' });
  const alertList = h('ul', { class: 'ws-alerts', id: 'alert-list' });
  const alertCount = h('span', { class: 'count' });

  function render(): void {
    const main = frame('investigate', me);
    mount(fieldSel, ...FIELDS.map((f) => h('option', { value: f }, f)));
    textIn.placeholder = wt('inv.textPlaceholder');
    const form = h(
      'form',
      {
        class: 'ws-query',
        id: 'search-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void search(true);
        },
      },
      h('label', {}, wt('inv.text'), textIn),
      h('label', {}, wt('inv.field'), fieldSel),
      h('label', {}, wt('inv.value'), valueIn),
      h(
        'button',
        { type: 'button', class: 'button secondary', id: 'add-filter', onclick: addFilter },
        wt('inv.addFilter'),
      ),
      h('button', { type: 'submit', class: 'primary', id: 'search-go' }, wt('inv.search')),
    );
    const range = h(
      'div',
      { class: 'ws-query ws-range' },
      h('span', { class: 'muted' }, wt('inv.range')),
      presetBox,
      h('label', {}, wt('inv.from'), fromIn),
      h('label', {}, wt('inv.to'), toIn),
    );
    fromIn.onchange = toIn.onchange = () => {
      state.preset = 'custom';
      renderPresets();
    };
    mount(
      main,
      h(
        'div',
        { class: 'ws-grid' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'inv-h' },
          h('h2', { id: 'inv-h' }, wt('inv.title')),
          range,
          form,
          chips,
          h('h3', {}, wt('inv.histogram')),
          histBox,
          status,
          results,
          pager,
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'alerts-h' },
          h('h2', { id: 'alerts-h' }, wt('alerts.title'), ' ', alertCount),
          alertList,
        ),
      ),
    );
    renderPresets();
    renderChips();
    renderResults();
    renderAlerts();
  }

  function renderPresets(): void {
    mount(
      presetBox,
      ...[...PRESETS.map((p) => p.id), 'custom' as const].map((id) =>
        h(
          'button',
          {
            type: 'button',
            'data-preset': id,
            'aria-pressed': state.preset === id ? 'true' : 'false',
            onclick: () => {
              state.preset = id;
              renderPresets();
              if (id !== 'custom') void search(true);
              else fromIn.focus();
            },
          },
          wt(`inv.${id}`),
        ),
      ),
    );
  }

  function addFilter(): void {
    const v = valueIn.value.trim();
    if (!v) return;
    if (state.filters.size >= 8 && !state.filters.has(fieldSel.value)) return;
    state.filters.set(fieldSel.value, v);
    valueIn.value = '';
    renderChips();
    void search(true);
  }

  function renderChips(): void {
    mount(
      chips,
      ...[...state.filters].map(([f, v]) =>
        h(
          'span',
          { class: 'ws-chip', 'data-filter': f },
          `${f}: ${v}`,
          h(
            'button',
            {
              type: 'button',
              'aria-label': wt('inv.removeFilter', { f }),
              onclick: () => {
                state.filters.delete(f);
                renderChips();
                void search(true);
              },
            },
            '×',
          ),
        ),
      ),
    );
  }

  async function resolveRange(): Promise<void> {
    if (state.preset === 'custom') {
      const from = fromIn.value ? new Date(fromIn.value).getTime() : Number.NaN;
      const to = toIn.value ? new Date(toIn.value).getTime() : Number.NaN;
      if (Number.isFinite(from) && Number.isFinite(to) && to > from) {
        state.from = from;
        state.to = to;
      }
      state.interval = intervalFor(state.to - state.from);
      return;
    }
    const p = PRESETS.find((x) => x.id === state.preset)!;
    const now = await exerciseNow(team);
    state.to = Math.ceil(now / 60_000) * 60_000;
    state.from = state.to - p.ms;
    state.interval = p.interval;
    fromIn.value = toLocalInput(state.from);
    toIn.value = toLocalInput(state.to);
  }

  let again: boolean | undefined;
  async function search(fresh: boolean): Promise<void> {
    if (state.busy) {
      // One search at a time: the newest request runs once the current one is answered.
      again = (again ?? false) || fresh;
      return;
    }
    state.busy = true;
    state.error = '';
    status.className = 'status';
    status.textContent = wt('inv.searching');
    try {
      if (fresh) {
        state.text = textIn.value.trim();
        await resolveRange();
        state.cursors = [undefined];
        state.page = 0;
        state.open.clear();
      }
      const body = {
        from: state.from,
        to: state.to,
        limit: PAGE,
        ...(state.filters.size ? { filters: Object.fromEntries(state.filters) } : {}),
        ...(state.text ? { text: state.text } : {}),
        ...(state.cursors[state.page] ? { cursor: state.cursors[state.page] } : {}),
        ...(state.page === 0 ? { interval: state.interval } : {}),
      };
      const r = await api<TelemetrySearchResult>('POST', `${base}/telemetry/search`, body);
      state.result = r;
      if (state.page === 0) state.histogram = r.histogram ?? [];
      state.cursors[state.page + 1] = r.nextCursor;
      status.textContent = wt('inv.matches', { n: r.records.length, ms: r.tookMs.toFixed(0) });
    } catch (e) {
      state.result = undefined;
      status.className = 'status error';
      status.textContent = e instanceof ApiFailure ? e.message : String(e);
    } finally {
      state.busy = false;
    }
    renderResults();
    if (again !== undefined) {
      const fresh2 = again;
      again = undefined;
      void search(fresh2);
    }
  }

  function histogram(): Element {
    const data = state.histogram;
    const total = data.reduce((n, b) => n + b.count, 0);
    const W = 800;
    const H = 120;
    const padL = 36;
    const padB = 18;
    const max = Math.max(1, ...data.map((b) => b.count));
    const n = Math.max(1, Math.round((state.to - state.from) / state.interval));
    const bw = (W - padL) / n;
    const s = svg('svg', {
      class: 'ws-hist',
      viewBox: `0 0 ${W} ${H}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': `${wt('inv.histogram')}: ${total}`,
    });
    s.appendChild(svg('line', { x1: padL, y1: H - padB, x2: W, y2: H - padB }));
    s.appendChild(svg('text', { x: 2, y: 10 }, String(max)));
    s.appendChild(svg('text', { x: 2, y: H - padB }, '0'));
    for (const b of data) {
      if (b.count === 0) continue;
      const i = Math.floor((b.ts - state.from) / state.interval);
      const hgt = ((H - padB - 4) * b.count) / max;
      s.appendChild(
        svg(
          'rect',
          {
            class: 'bar',
            x: padL + i * bw + 0.5,
            y: H - padB - hgt,
            width: Math.max(1, bw - 1),
            height: hgt,
          },
          svg('title', {}, `${clockOf(b.ts)} · ${b.count}`),
        ),
      );
    }
    const ticks = 6;
    for (let k = 0; k <= ticks; k++) {
      const ms = state.from + ((state.to - state.from) * k) / ticks;
      const x = padL + ((W - padL) * k) / ticks;
      s.appendChild(svg('text', { x: Math.min(x, W - 40), y: H - 4 }, clockOf(ms).slice(0, 5)));
    }
    return s;
  }

  function renderResults(): void {
    if (!state.result) {
      mount(histBox);
      mount(results);
      mount(pager);
      return;
    }
    mount(histBox, histogram());
    const rows = state.result.records;
    if (rows.length === 0) {
      mount(results, h('p', { class: 'empty' }, wt('inv.none')));
    } else {
      const body = h('tbody', {});
      rows.forEach((doc, i) => {
        const key = state.page * PAGE + i;
        const open = state.open.has(key);
        const toggle = () => {
          if (state.open.has(key)) state.open.delete(key);
          else state.open.add(key);
          renderResults();
        };
        body.appendChild(
          h(
            'tr',
            { class: 'ev', 'data-row': i, onclick: toggle },
            h(
              'td',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'expand',
                  'aria-expanded': open ? 'true' : 'false',
                  'aria-label': open ? '−' : '+',
                  onclick: (e: Event) => {
                    e.stopPropagation();
                    toggle();
                  },
                },
                open ? '▾' : '▸',
              ),
            ),
            h('td', { class: 'time' }, clockOf(recordMs(doc), true)),
            h('td', {}, String(doc['host.name'] ?? '')),
            h('td', {}, String(doc['event.action'] ?? doc['event.category'] ?? '')),
            h('td', {}, summaryOf(doc)),
          ),
        );
        if (open) body.appendChild(h('tr', { class: 'doc' }, h('td', { colspan: 5 }, docView(doc))));
      });
      mount(
        results,
        h(
          'table',
          { class: 'ws-results' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { class: 'narrow' }, ''),
              h('th', {}, wt('inv.time')),
              h('th', {}, wt('inv.host')),
              h('th', {}, wt('inv.action')),
              h('th', {}, wt('inv.summary')),
            ),
          ),
          body,
        ),
      );
    }
    const next = state.cursors[state.page + 1];
    mount(
      pager,
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          disabled: state.page === 0,
          onclick: () => {
            state.page = 0;
            void search(false);
          },
        },
        wt('inv.first'),
      ),
      h('span', { class: 'muted' }, wt('inv.page', { n: state.page + 1 })),
      h(
        'button',
        {
          type: 'button',
          class: 'button secondary',
          id: 'next-page',
          disabled: !next,
          onclick: () => {
            state.page += 1;
            void search(false);
          },
        },
        wt('inv.more'),
      ),
    );
  }

  function docView(doc: TelemetryDocument): HTMLElement {
    const filterable = FIELDS.filter((f) => doc[f] !== undefined);
    return h(
      'div',
      {},
      h('pre', { class: 'doc' }, JSON.stringify(doc, null, 2)),
      h(
        'div',
        { class: 'ws-filters' },
        ...filterable.map((f) =>
          h(
            'button',
            {
              type: 'button',
              class: 'button secondary',
              title: wt('inv.filterBy'),
              onclick: () => {
                state.filters.set(f, String(doc[f]));
                renderChips();
                void search(true);
              },
            },
            `+ ${f}: ${String(doc[f])}`,
          ),
        ),
      ),
    );
  }

  function renderAlerts(): void {
    alertCount.textContent = String(alerts.length);
    if (alerts.length === 0) {
      mount(alertList, h('li', { class: 'empty' }, wt('alerts.none')));
      return;
    }
    mount(
      alertList,
      ...[...alerts].reverse().map((a) =>
        h(
          'li',
          { class: `sev-${a.severity}`, 'data-alert': a.seq },
          h('div', {}, h('span', { class: 'ws-sev' }, a.severity), h('strong', {}, a.title)),
          h(
            'div',
            { class: 'muted' },
            `${clockOf(a.firstMs)}–${clockOf(a.lastMs)} · ${wt('alerts.count', { n: a.count })}`,
            a.group ? ` · ${a.group}` : '',
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: () => {
                state.preset = 'custom';
                state.from = Math.floor(a.firstMs / 60_000) * 60_000 - 5 * 60_000;
                state.to = Math.ceil(a.lastMs / 60_000) * 60_000 + 5 * 60_000;
                fromIn.value = toLocalInput(state.from);
                toIn.value = toLocalInput(state.to);
                if (a.group) state.filters.set('host.name', a.group);
                renderPresets();
                renderChips();
                void search(true);
              },
            },
            wt('alerts.search'),
          ),
        ),
      ),
    );
  }

  async function loadAlerts(): Promise<void> {
    try {
      const r = await api<{ alerts: AlertView[] }>('GET', `${base}/alerts?limit=200`);
      const seen = new Set(alerts.map((a) => a.seq));
      alerts = [...alerts, ...r.alerts.filter((a) => !seen.has(a.seq))].sort((a, b) => a.seq - b.seq);
      renderAlerts();
    } catch {
      // shown empty; the socket fills it in
    }
  }

  const socket = live();
  socket.on('alert:raised', (a) => {
    if (a.team !== team || alerts.some((x) => x.seq === a.seq)) return;
    alerts.push(a);
    renderAlerts();
  });
  socket.on('connect', () => void loadAlerts());

  onLangChange(render);
  render();
  void loadAlerts();
  void search(true);
}
