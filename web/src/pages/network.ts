/**
 * Network: the team's segments and hosts from the inventory. Thousands of simulated hosts stay
 * usable: a map draws each segment with its important hosts one by one and the rest as counted
 * groups (network-map.ts), segments list their roles with counts, the host table shows one page
 * of the chosen group (name/IP search, state filter, "show more"), live hosts are marked, and a
 * host opens its detail (services, users, state, recent activity, alerts) with the response
 * actions at hand.
 */
import type { HostDetail, HostInventory, HostSummary } from '../../../src/wire/investigation';
import type { Me } from '../../../src/wire/views';
import { ApiFailure, api } from '../api';
import { h, mount } from '../dom';
import { onLangChange } from '../i18n';
import { frame, statusLine } from '../layout';
import { live } from '../live';
import { mapTitle, networkMap } from './network-map';
import { clockOf, recordMs, summaryOf, teamBase, wt } from './ws-common';
import { actionForm } from './ws-respond';

const PAGE = 100;
/** Hosts the map may draw one by one come from this first page of the inventory (plan order). */
const MAP_KNOWN = 100;
/** The map counts at most this many hosts per state that is not `up` (the API's page limit). */
const MAP_STATES = 500;

export function networkPage(me: Me): void {
  const team = me.team!;
  const base = teamBase(team);
  const state = {
    segment: '',
    role: '',
    q: '',
    hostState: '',
    inventory: undefined as HostInventory | undefined,
    groups: [] as HostInventory['groups'],
    total: 0,
    hosts: [] as HostSummary[],
    next: undefined as string | undefined,
    selected: '',
    detail: undefined as HostDetail | undefined,
    known: [] as HostSummary[],
    notUp: [] as HostSummary[],
  };
  const status = statusLine();
  const segBox = h('ul', { class: 'ws-segments', id: 'segments' });
  const hostBox = h('div', { id: 'hosts' });
  const detailBox = h('section', { class: 'card ws-detail', id: 'host-detail', tabindex: '-1' });
  const mapBox = h('div', { id: 'map-box' });
  const qIn = h('input', { id: 'host-q', type: 'search', size: 18 });
  const stateSel = h('select', { id: 'host-state' });
  let totalAll = 0;

  function render(): void {
    const main = frame('network', me);
    mount(
      stateSel,
      h('option', { value: '' }, wt('net.any')),
      ...(['up', 'isolated', 'restored'] as const).map((s) => h('option', { value: s }, wt(`state.${s}`))),
    );
    stateSel.value = state.hostState;
    qIn.placeholder = wt('net.q');
    const filters = h(
      'form',
      {
        class: 'ws-query',
        onsubmit: (e: Event) => {
          e.preventDefault();
          state.q = qIn.value.trim();
          state.hostState = stateSel.value;
          void loadHosts(false);
        },
      },
      h('label', {}, wt('net.q'), qIn),
      h('label', {}, wt('net.state'), stateSel),
      h('button', { type: 'submit', class: 'primary' }, wt('inv.search')),
    );
    mount(
      main,
      h(
        'div',
        { class: 'ws-grid wide' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'seg-h' },
          h('h2', { id: 'seg-h' }, wt('net.segments')),
          segBox,
        ),
        h(
          'div',
          { class: 'ws-net-main' },
          h(
            'section',
            { class: 'card map-card', 'aria-labelledby': 'map-h' },
            h('h2', { id: 'map-h' }, mapTitle()),
            mapBox,
          ),
          h(
            'section',
            { class: 'card', 'aria-labelledby': 'hosts-h' },
            h('h2', { id: 'hosts-h' }, wt('net.hosts')),
            filters,
            status,
            hostBox,
          ),
          detailBox,
        ),
      ),
    );
    renderSegments();
    renderMap();
    renderHosts();
    renderDetail();
  }

  function pickGroup(segment: string, role: string): void {
    state.segment = segment;
    state.role = role;
    renderSegments();
    void loadHosts(false);
  }

  function renderMap(): void {
    if (state.groups.length === 0) return;
    mount(
      mapBox,
      networkMap(
        { groups: state.groups, known: state.known, notUp: state.notUp },
        {
          openHost: (name) => void openHost(name),
          pickGroup: (segment, role) => {
            pickGroup(segment, role);
            hostBox.scrollIntoView({ block: 'nearest' });
          },
        },
      ),
    );
  }

  function renderSegments(): void {
    const bySeg = new Map<string, { count: number; roles: { role: string; count: number }[] }>();
    for (const g of state.groups) {
      const s = bySeg.get(g.segment) ?? { count: 0, roles: [] };
      s.count += g.count;
      s.roles.push({ role: g.role, count: g.count });
      bySeg.set(g.segment, s);
    }
    const pick = pickGroup;
    mount(
      segBox,
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'role',
            'aria-pressed': !state.segment ? 'true' : 'false',
            onclick: () => pick('', ''),
          },
          h('strong', {}, wt('net.all')),
          h('span', { class: 'count' }, String(totalAll)),
        ),
      ),
      ...[...bySeg].map(([segment, s]) =>
        h(
          'li',
          { 'data-segment': segment },
          h(
            'button',
            {
              type: 'button',
              class: 'role seg-head',
              'aria-pressed': state.segment === segment && !state.role ? 'true' : 'false',
              onclick: () => pick(segment, ''),
            },
            h('span', {}, segment),
            h('span', { class: 'count' }, String(s.count)),
          ),
          ...s.roles.map((r) =>
            h(
              'button',
              {
                type: 'button',
                class: 'role',
                'data-role': r.role,
                'aria-pressed': state.segment === segment && state.role === r.role ? 'true' : 'false',
                onclick: () => pick(segment, r.role),
              },
              h('span', { class: 'sub' }, r.role),
              h('span', { class: 'muted' }, String(r.count)),
            ),
          ),
        ),
      ),
    );
  }

  function stateBadge(s: string): HTMLElement {
    return h('span', { class: `ws-state ${s}`, 'data-state': s }, wt(`state.${s}`));
  }

  function renderHosts(): void {
    if (state.hosts.length === 0) {
      mount(hostBox, h('p', { class: 'empty' }, state.inventory ? wt('inv.none') : ''));
      return;
    }
    mount(
      hostBox,
      h('p', { class: 'muted' }, wt('net.shown', { shown: state.hosts.length, total: state.total })),
      h(
        'table',
        { class: 'ws-results', id: 'host-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, wt('net.name')),
            h('th', {}, wt('net.ip')),
            h('th', {}, wt('net.segment')),
            h('th', {}, wt('net.role')),
            h('th', {}, wt('net.os')),
            h('th', {}, wt('net.dept')),
            h('th', {}, wt('net.state')),
          ),
        ),
        h(
          'tbody',
          {},
          ...state.hosts.map((host) =>
            h(
              'tr',
              {
                class: 'ev',
                'data-host': host.name,
                ...(host.name === state.selected ? { 'aria-selected': 'true', class: 'ev selected' } : {}),
                onclick: () => void openHost(host.name),
              },
              h(
                'td',
                {},
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'link',
                    onclick: (e: Event) => {
                      e.stopPropagation();
                      void openHost(host.name);
                    },
                  },
                  host.name,
                ),
                host.fidelity === 'live'
                  ? h('span', { class: 'ws-live', title: 'live' }, wt('net.live'))
                  : null,
              ),
              h('td', { class: 'time' }, host.ip),
              h('td', {}, host.segment),
              h('td', {}, host.role),
              h('td', {}, host.os),
              h('td', {}, host.department ?? ''),
              h('td', {}, stateBadge(host.state)),
            ),
          ),
        ),
      ),
      state.next
        ? h(
            'div',
            { class: 'ws-pager' },
            h(
              'button',
              {
                type: 'button',
                class: 'button secondary',
                id: 'hosts-more',
                onclick: () => void loadHosts(true),
              },
              wt('net.more'),
            ),
          )
        : null,
    );
  }

  function renderDetail(): void {
    const d = state.detail;
    if (!d) {
      mount(detailBox, h('p', { class: 'muted' }, wt('net.select')));
      return;
    }
    mount(
      detailBox,
      h(
        'h2',
        {},
        d.name,
        ' ',
        stateBadge(d.state),
        d.fidelity === 'live' ? h('span', { class: 'ws-live' }, wt('net.live')) : null,
      ),
      h(
        'dl',
        {},
        h('dt', {}, wt('net.fqdn')),
        h('dd', {}, d.fqdn),
        h('dt', {}, wt('net.ip')),
        h('dd', {}, d.ip),
        h('dt', {}, wt('net.segment')),
        h('dd', {}, `${d.segment} · ${d.role}`),
        h('dt', {}, wt('net.os')),
        h('dd', {}, d.os),
        h('dt', {}, wt('net.services')),
        h('dd', {}, d.services.join(', ') || '—'),
        h('dt', {}, wt('net.users')),
        h('dd', {}, d.users.join(', ') || '—'),
        d.tags.length ? h('dt', {}, wt('net.tags')) : null,
        d.tags.length ? h('dd', {}, d.tags.join(', ')) : null,
      ),
      h('h3', {}, wt('net.respond')),
      actionForm({
        team,
        host: d.name,
        actions: ['host.isolate', 'host.release', 'process.kill', 'evidence.collect', 'host.restore'],
        onDone: () => {
          void refreshAfterAction(d.name);
        },
      }),
      d.alerts.length ? h('h3', {}, wt('net.alerts')) : null,
      d.alerts.length
        ? h(
            'ul',
            { class: 'ws-alerts' },
            ...d.alerts.map((a) =>
              h(
                'li',
                { class: `sev-${a.severity}` },
                h('span', { class: 'ws-sev' }, a.severity),
                a.title,
                h('div', { class: 'muted' }, `${clockOf(a.firstMs)}–${clockOf(a.lastMs)} · ${a.count}`),
              ),
            ),
          )
        : null,
      h('h3', {}, wt('net.activity')),
      d.recentActivity.length === 0
        ? h('p', { class: 'empty' }, wt('net.noActivity'))
        : h(
            'div',
            { class: 'ws-scroll' },
            h(
              'table',
              { class: 'ws-results', id: 'host-activity' },
              h(
                'tbody',
                {},
                ...[...d.recentActivity]
                  .reverse()
                  .map((r) =>
                    h(
                      'tr',
                      {},
                      h('td', { class: 'time' }, clockOf(recordMs(r))),
                      h('td', {}, String(r['event.action'] ?? '')),
                      h('td', {}, summaryOf(r)),
                    ),
                  ),
              ),
            ),
          ),
    );
  }

  async function openHost(name: string): Promise<void> {
    state.selected = name;
    renderHosts();
    try {
      state.detail = await api<HostDetail>('GET', `${base}/hosts/${encodeURIComponent(name)}`);
      renderDetail();
      detailBox.focus();
    } catch (e) {
      mount(detailBox, h('p', { class: 'status error' }, e instanceof ApiFailure ? e.message : String(e)));
    }
  }

  async function refreshAfterAction(name: string): Promise<void> {
    try {
      const d = await api<HostDetail>('GET', `${base}/hosts/${encodeURIComponent(name)}`);
      if (state.detail?.name === name) {
        state.detail = { ...state.detail, state: d.state };
        const badge = detailBox.querySelector('h2 .ws-state');
        if (badge) badge.replaceWith(stateBadge(d.state));
      }
      state.hosts = state.hosts.map((x) => (x.name === name ? { ...x, state: d.state } : x));
      renderHosts();
      await loadStates();
    } catch {
      // the next load shows it
    }
  }

  async function loadHosts(more: boolean): Promise<void> {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (state.segment) params.set('segment', state.segment);
    if (state.role) params.set('role', state.role);
    if (state.q) params.set('q', state.q);
    if (state.hostState) params.set('state', state.hostState);
    if (more && state.next) params.set('cursor', state.next);
    try {
      const inv = await api<HostInventory>('GET', `${base}/hosts?${params}`);
      state.inventory = inv;
      state.total = inv.total;
      state.hosts = more ? [...state.hosts, ...inv.hosts] : inv.hosts;
      state.next = inv.nextCursor;
      status.className = 'status';
      status.textContent = '';
      renderHosts();
    } catch (e) {
      status.className = 'status error';
      status.textContent = e instanceof ApiFailure ? e.message : String(e);
    }
  }

  async function loadGroups(): Promise<void> {
    try {
      const inv = await api<HostInventory>('GET', `${base}/hosts?limit=${MAP_KNOWN}`);
      state.groups = inv.groups;
      state.known = inv.hosts;
      totalAll = inv.total;
      renderSegments();
      await loadStates();
    } catch {
      // the host list shows the error
    }
  }

  /** Every host that is not up, for the map's colours (isolated and restored hosts are few). */
  async function loadStates(): Promise<void> {
    try {
      const lists = await Promise.all(
        (['isolated', 'restored'] as const).map((s) =>
          api<HostInventory>('GET', `${base}/hosts?state=${s}&limit=${MAP_STATES}`),
        ),
      );
      state.notUp = lists.flatMap((l) => l.hosts);
    } catch {
      // drawn without the state overlay; the next action refreshes it
    }
    renderMap();
  }

  live().on('team:action', (a) => {
    if (a.team !== team) return;
    const host = 'host' in a.input ? a.input.host : undefined;
    if (host) void refreshAfterAction(host);
  });

  onLangChange(render);
  render();
  void loadGroups();
  void loadHosts(false);
}
