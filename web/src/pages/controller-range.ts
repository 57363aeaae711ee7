/**
 * The range health card of the controller console: the Docker engine's connection ("unreachable
 * since …" during an outage, the last reconciliation after it), and per team a grid of its live
 * hosts — colour and text for the state, why, the disk written — with the simulated and isolated
 * counts. The controller restores a host from its image (confirmed first; the result is shown).
 * Pushed live as `range:health`; polled every 5 s as well, so a missed push heals itself.
 */
import type {
  HostHealth,
  HostRestoreResult,
  RangeHealthView,
  TeamHealth,
} from '../../../src/wire/range-health';
import { ApiFailure, api } from '../api';
import { h, mount } from '../dom';
import { type TextKey, t } from '../i18n';
import { statusLine } from '../layout';
import { live } from '../live';
import { wallTime } from '../time';
import type { Panel } from './controller-msel';
import './controller-range.css';

const POLL_MS = 5000;

export function rangePanel(isController: boolean): Panel {
  let view: RangeHealthView | undefined;
  const body = h('div', { id: 'range-health' });
  const status = statusLine();
  const busy = new Set<string>();
  const element = h(
    'section',
    { class: 'card range-card', 'aria-labelledby': 'range-h' },
    h('h2', { id: 'range-h' }, t('range.title')),
    body,
    status,
  );

  async function restore(team: string, host: string): Promise<void> {
    if (!confirm(t('range.restoreConfirm', { team, host }))) return;
    const key = `${team}/${host}`;
    busy.add(key);
    status.textContent = t('range.restoring', { team, host });
    status.className = 'status';
    render();
    try {
      const r = await api<HostRestoreResult>(
        'POST',
        `/api/range/hosts/${encodeURIComponent(team)}/${encodeURIComponent(host)}/restore`,
        {},
      );
      status.textContent = t(r.ok ? 'range.restored' : 'range.restoreFailed', {
        team,
        host,
        detail: r.detail,
      });
      status.className = `status ${r.ok ? 'ok' : 'error'}`;
    } catch (e) {
      const detail = e instanceof ApiFailure ? e.body.message : String(e);
      status.textContent = t('range.restoreFailed', { team, host, detail });
      status.className = 'status error';
    } finally {
      busy.delete(key);
      await refresh();
    }
  }

  function engineLine(v: RangeHealthView): HTMLElement {
    const e = v.engine;
    const time = e.since ? wallTime(e.since) : '';
    const text =
      e.state === 'connected'
        ? t('range.engine.connected', { where: e.where })
        : e.state === 'unreachable'
          ? t('range.engine.unreachable', { time, detail: e.detail })
          : e.state === 'given-up'
            ? t('range.engine.given-up', { time })
            : t('range.engine.none');
    return h(
      'div',
      { class: 'range-engine', role: e.state === 'connected' || e.state === 'none' ? 'status' : 'alert' },
      h('span', { class: `range-pill engine-${e.state}`, id: 'engine-state' }, e.state),
      h('span', {}, text),
      e.outages > 0 ? h('span', { class: 'muted' }, ` · ${t('range.outages', { count: e.outages })}`) : null,
    );
  }

  function hostTile(x: HostHealth): HTMLElement {
    const key = `${x.team}/${x.host}`;
    return h(
      'li',
      { class: `range-host host-${x.state}`, 'data-host': key, 'data-state': x.state },
      h('span', { class: 'range-host-name' }, x.host),
      h('span', { class: 'range-host-role muted' }, x.role),
      h('span', { class: `range-pill host-${x.state}` }, t(`range.state.${x.state}` as TextKey)),
      h('span', { class: 'range-host-detail' }, x.detail),
      x.diskBytes !== undefined
        ? h('span', { class: 'muted' }, t('range.disk', { mib: Math.round(x.diskBytes / 1048576) }))
        : null,
      isController && view?.engine.state !== 'none'
        ? h(
            'button',
            {
              type: 'button',
              class: x.state === 'running' ? 'secondary' : 'primary',
              'data-restore': key,
              disabled: busy.has(key) || view?.engine.state !== 'connected',
              onclick: () => void restore(x.team, x.host),
            },
            t('range.restore'),
          )
        : null,
    );
  }

  function teamBlock(team: TeamHealth): HTMLElement {
    return h(
      'div',
      { class: 'range-team', 'data-team': team.team },
      h(
        'h3',
        {},
        team.team,
        h(
          'span',
          { class: 'muted range-counts' },
          ` ${t('range.counts', {
            up: team.up,
            live: team.live,
            simulated: team.simulated,
            isolated: team.isolated,
          })}`,
        ),
      ),
      team.hosts.length ? h('ul', { class: 'range-hosts' }, ...team.hosts.map(hostTile)) : null,
    );
  }

  function render(): void {
    if (!view) {
      mount(body, h('p', { class: 'muted' }, t('home.loading')));
      return;
    }
    const r = view.reconciled;
    mount(
      body,
      engineLine(view),
      r
        ? h(
            'p',
            { class: 'muted', id: 'range-reconciled' },
            t('range.reconciled', {
              time: wallTime(r.at),
              ms: r.ms,
              restarted: r.restarted,
              created: r.created,
              recreated: r.recreated,
              failed: r.failed.length,
            }),
          )
        : null,
      view.checkedAt
        ? h('p', { class: 'muted' }, t('range.checked', { time: wallTime(view.checkedAt) }))
        : null,
      ...view.teams.map(teamBlock),
    );
  }

  async function refresh(): Promise<void> {
    try {
      view = await api<RangeHealthView>('GET', '/api/range/health');
      render();
    } catch {
      // the next poll or push tries again
    }
  }

  live().on('range:health', (v: RangeHealthView) => {
    view = v;
    render();
  });
  setInterval(() => void refresh(), POLL_MS);
  void refresh();
  return { element, render, refresh };
}
