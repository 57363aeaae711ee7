/**
 * The network as a picture (SVG, no library): each segment a box; inside it the hosts that matter
 * one by one (live hosts, servers of small groups, hosts not up) and everything else as one
 * counted node per role with a bar of its states, so thousands of simulated workstations stay
 * one node each per segment. Every node is a button: a host opens its detail, a group filters
 * the host table. Keyboard: Tab moves between nodes, Enter or Space opens.
 */
import './network.css';
import type { HostGroup, HostState, HostSummary } from '../../../src/wire/investigation';
import { svg } from '../dom';
import { lang } from '../i18n';

const TEXT = {
  en: {
    title: 'Network map',
    label: 'Network map: segments with their hosts; hosts and groups are buttons',
    hosts: '{n} hosts',
    oneHost: '1 host',
    host: '{name}, {role}, {state}{live} — open its detail',
    group: '{n} {role} hosts in {segment}: {states} — list them',
    live: ', live',
    legendLive: 'live host',
    legendGroup: 'group (count, states)',
    up: 'up',
    isolated: 'isolated',
    restored: 'restored',
    unknown: 'unknown',
  },
  ja: {
    title: 'ネットワーク図',
    label: 'ネットワーク図: セグメントとホスト。ホストとグループはボタンです',
    hosts: '{n} 台',
    oneHost: '1 台',
    host: '{name} ({role}、{state}{live}) — 詳細を開く',
    group: '{segment} の {role} {n} 台: {states} — 一覧を表示',
    live: '、実機',
    legendLive: '実機ホスト',
    legendGroup: 'グループ (台数と状態)',
    up: '稼働',
    isolated: '隔離',
    restored: '復旧',
    unknown: '不明',
  },
};
type Key = keyof (typeof TEXT)['en'];
const tt = (k: Key, vars: Record<string, string | number> = {}) =>
  TEXT[lang()][k].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));

const STATES: HostState[] = ['up', 'isolated', 'restored', 'unknown'];
/** Groups this small are drawn host by host (servers, appliances). */
const SMALL_GROUP = 4;
/** At most this many hosts not up are drawn one by one; more are only counted in their group. */
const MAX_SINGLE_NOT_UP = 12;

const W = 1000;
const GAP = 14;
const HEAD = 30;
const CELL_W = 150;
const CELL_H = 44;

export interface MapInput {
  groups: HostGroup[];
  /** Hosts known one by one (a first page of the inventory, in plan order). */
  known: HostSummary[];
  /** Every host whose state is not `up` (from the inventory's state filter). */
  notUp: HostSummary[];
}

export interface MapActions {
  openHost(name: string): void;
  pickGroup(segment: string, role: string): void;
}

type Node =
  | { kind: 'host'; host: HostSummary }
  | { kind: 'group'; segment: string; role: string; count: number; states: Record<HostState, number> };

interface Segment {
  id: string;
  total: number;
  nodes: Node[];
}

/** Which hosts get their own node, and what each segment's counted groups hold. */
export function layoutSegments(input: MapInput): Segment[] {
  const groupSize = new Map(input.groups.map((g) => [`${g.segment}\0${g.role}`, g.count]));
  const notUp = new Map(input.notUp.map((h) => [h.name, h]));
  const singles = new Map<string, HostSummary>();
  for (const h of input.known) {
    const small = (groupSize.get(`${h.segment}\0${h.role}`) ?? 0) <= SMALL_GROUP;
    if (h.fidelity === 'live' || small) singles.set(h.name, notUp.get(h.name) ?? h);
  }
  if (input.notUp.length <= MAX_SINGLE_NOT_UP) for (const h of input.notUp) singles.set(h.name, h);
  const segments = new Map<string, Segment>();
  for (const g of input.groups) {
    let s = segments.get(g.segment);
    if (!s) {
      s = { id: g.segment, total: 0, nodes: [] };
      segments.set(g.segment, s);
    }
    s.total += g.count;
    const mine = [...singles.values()].filter((h) => h.segment === g.segment && h.role === g.role);
    // Live hosts first: they are the ones a team can open a shell on.
    mine.sort((a, b) => Number(b.fidelity === 'live') - Number(a.fidelity === 'live'));
    for (const host of mine) s.nodes.push({ kind: 'host', host });
    const rest = g.count - mine.length;
    if (rest <= 0) continue;
    const states: Record<HostState, number> = { up: rest, isolated: 0, restored: 0, unknown: 0 };
    for (const h of input.notUp) {
      if (h.segment !== g.segment || h.role !== g.role || singles.has(h.name) || h.state === 'up') continue;
      states[h.state]++;
      states.up--;
    }
    s.nodes.push({ kind: 'group', segment: g.segment, role: g.role, count: rest, states });
  }
  return [...segments.values()];
}

function activate(el: SVGElement, label: string, go: () => void): SVGElement {
  el.setAttribute('tabindex', '0');
  el.setAttribute('role', 'button');
  el.setAttribute('aria-label', label);
  el.addEventListener('click', go);
  el.addEventListener('keydown', (e) => {
    const key = (e as KeyboardEvent).key;
    if (key !== 'Enter' && key !== ' ') return;
    e.preventDefault();
    go();
  });
  return el;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function hostNode(host: HostSummary, x: number, y: number, actions: MapActions): SVGElement {
  const live = host.fidelity === 'live';
  const label = tt('host', {
    name: host.name,
    role: host.role,
    state: tt(host.state),
    live: live ? tt('live') : '',
  });
  return activate(
    svg(
      'g',
      {
        class: `map-node map-host st-${host.state}${live ? ' live' : ''}`,
        transform: `translate(${x},${y})`,
        'data-host': host.name,
        'data-state': host.state,
      },
      svg('title', {}, label),
      svg('rect', { width: CELL_W - 10, height: CELL_H - 8, rx: 6 }),
      svg('circle', { cx: 14, cy: 18, r: 6, class: 'dot' }),
      svg('text', { x: 26, y: 16, class: 'name' }, clip(host.name, 15)),
      svg(
        'text',
        { x: 26, y: 30, class: 'sub' },
        `${clip(host.role, live ? 14 : 22)}${live ? ' · LIVE' : ''}`,
      ),
    ),
    label,
    () => actions.openHost(host.name),
  );
}

function groupNode(
  node: Extract<Node, { kind: 'group' }>,
  x: number,
  y: number,
  actions: MapActions,
): SVGElement {
  const parts = STATES.filter((s) => node.states[s] > 0);
  const label = tt('group', {
    n: node.count,
    role: node.role,
    segment: node.segment,
    states: parts.map((s) => `${node.states[s]} ${tt(s)}`).join(', '),
  });
  const barW = CELL_W - 26;
  let at = 8;
  const bars = parts.map((s) => {
    const w = Math.max(2, (barW * node.states[s]) / node.count);
    const r = svg('rect', { x: at, y: 26, width: w, height: 6, class: `bar st-${s}` });
    at += w;
    return r;
  });
  return activate(
    svg(
      'g',
      {
        class: 'map-node map-group',
        transform: `translate(${x},${y})`,
        'data-segment': node.segment,
        'data-role': node.role,
        'data-count': node.count,
        ...Object.fromEntries(parts.filter((p) => p !== 'up').map((p) => [`data-${p}`, node.states[p]])),
      },
      svg('title', {}, label),
      svg('rect', { width: CELL_W - 10, height: CELL_H - 8, rx: 6 }),
      svg('text', { x: 8, y: 17, class: 'name' }, `${clip(node.role, 12)} ×${node.count}`),
      ...bars,
    ),
    label,
    () => actions.pickGroup(node.segment, node.role),
  );
}

function legend(y: number): SVGElement {
  const item = (x: number, cls: string, text: string) =>
    svg(
      'g',
      { transform: `translate(${x},${y})`, class: 'legend' },
      svg('rect', { width: 14, height: 14, rx: 3, class: cls }),
      svg('text', { x: 20, y: 12 }, text),
    );
  return svg(
    'g',
    {},
    item(0, 'st-up', tt('up')),
    item(110, 'st-isolated', tt('isolated')),
    item(240, 'st-restored', tt('restored')),
    item(370, 'key-live', tt('legendLive')),
    item(500, 'key-group', tt('legendGroup')),
  );
}

/** The map as one SVG element, sized to its content. */
export function networkMap(input: MapInput, actions: MapActions): SVGSVGElement {
  const segments = layoutSegments(input);
  const cols = Math.max(1, Math.min(3, segments.length));
  const boxW = (W - GAP * (cols - 1)) / cols;
  const perRow = Math.max(1, Math.floor((boxW - 12) / CELL_W));
  const heightOf = (s: Segment) => HEAD + Math.ceil(Math.max(1, s.nodes.length) / perRow) * CELL_H + 6;
  const children: SVGElement[] = [];
  let y = 0;
  for (let i = 0; i < segments.length; i += cols) {
    const row = segments.slice(i, i + cols);
    const rowH = Math.max(...row.map(heightOf));
    row.forEach((s, c) => {
      const x = c * (boxW + GAP);
      const nodes = s.nodes.map((n, k) => {
        const nx = x + 8 + (k % perRow) * CELL_W;
        const ny = y + HEAD + Math.floor(k / perRow) * CELL_H;
        return n.kind === 'host' ? hostNode(n.host, nx, ny, actions) : groupNode(n, nx, ny, actions);
      });
      children.push(
        svg(
          'g',
          { class: 'map-segment', 'data-segment': s.id, role: 'group', 'aria-label': s.id },
          svg('rect', { x, y, width: boxW, height: rowH, rx: 10, class: 'zone' }),
          svg('text', { x: x + 10, y: y + 20, class: 'seg-name' }, s.id),
          svg(
            'text',
            { x: x + boxW - 10, y: y + 20, class: 'seg-count', 'text-anchor': 'end' },
            s.total === 1 ? tt('oneHost') : tt('hosts', { n: s.total }),
          ),
          ...nodes,
        ),
      );
    });
    y += rowH + GAP;
  }
  const height = y + 24;
  const root = svg(
    'svg',
    {
      class: 'network-map',
      id: 'network-map',
      viewBox: `0 0 ${W} ${height}`,
      role: 'group',
      'aria-label': tt('label'),
    },
    ...children,
    legend(y + 4),
  );
  return root;
}

export function mapTitle(): string {
  return tt('title');
}
