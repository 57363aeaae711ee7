/**
 * The controller's console: the exercise clock, firing or skipping injects by id, a live feed of
 * every team's events, the public board's freeze, and join links (create, copy, revoke).
 * Evaluators see the feed only; the server refuses the controller's verbs to anyone else anyway.
 */
import type { CreatedJoinLink, JoinLinkInfo, Me, ScoreboardView, TeamEvent } from '../../../src/wire/views';
import { ApiFailure, api } from '../api';
import { h, mount } from '../dom';
import { onLangChange, type TextKey, t } from '../i18n';
import { frame, statusLine } from '../layout';
import { live } from '../live';
import { scenarioClock, wallTime } from '../time';
import { adjudicationPanel, mselPanel } from './controller-msel';
import { rangePanel } from './controller-range';
import { teardownPanel } from './setup-teardown';

const FEED_MAX = 300;
const POLL_MS = 1500;

type Team = { id: string; name: string };

function summary(e: TeamEvent): string {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of [
    'inject',
    'subject',
    'title',
    'technique',
    'action',
    'actor',
    'reason',
    'by',
    'delta',
    'expectation',
    'result',
    'detail',
  ]) {
    const v = p[k];
    if (typeof v === 'string' || typeof v === 'number')
      parts.push(k === 'delta' && Number(v) > 0 ? `+${v}` : String(v));
  }
  return parts.join(' · ');
}

export function controllerPage(me: Me): void {
  const isController = me.role === 'controller';
  let teams: Team[] = [];
  let clock = 'created';
  let scenarioNow: number | undefined;
  let compression: number | undefined;
  let links: JoinLinkInfo[] = [];
  let created: CreatedJoinLink | undefined;
  let frozen = false;
  const feed: TeamEvent[] = [];
  const after = new Map<string, number>();
  const injects = new Set<string>();

  const msel = mselPanel(isController);
  const adjudication = adjudicationPanel(isController);
  const range = rangePanel(isController);
  const clockBox = h('div', { id: 'clock-box' });
  const feedList = h('ol', { class: 'feed', id: 'event-feed' });
  const linksBox = h('div', { id: 'links-box' });
  const injectList = h('datalist', { id: 'inject-ids' });
  const clockStatus = statusLine();
  const injectStatus = statusLine();
  const linkStatus = statusLine();

  const fail = (line: HTMLElement) => (e: unknown) => {
    line.textContent = t('error.generic', { message: e instanceof ApiFailure ? e.body.message : String(e) });
    line.className = 'status error';
  };

  async function clockVerb(action: string, speed?: number): Promise<void> {
    try {
      const r = await api<{ status: string; compression: number; scenarioTime: number }>(
        'POST',
        '/api/exercise/clock',
        {
          action,
          ...(speed !== undefined ? { speed } : {}),
        },
      );
      clock = r.status;
      compression = r.compression;
      scenarioNow = r.scenarioTime;
      clockStatus.textContent = '';
      renderClock();
    } catch (e) {
      fail(clockStatus)(e);
    }
  }

  function renderClock(): void {
    const speed = h('input', {
      type: 'number',
      id: 'speed',
      min: '0.1',
      step: 'any',
      value: String(compression ?? 1),
    });
    const btn = (key: TextKey, action: string, enabled: boolean, cls = 'secondary') =>
      h(
        'button',
        {
          type: 'button',
          class: cls,
          'data-action': action,
          disabled: !isController || !enabled,
          onclick: () => {
            if (action === 'stop' && !confirm(t('ctl.stopConfirm'))) return;
            void clockVerb(action);
          },
        },
        t(key),
      );
    mount(
      clockBox,
      h(
        'p',
        { class: 'clock-line' },
        h('span', { class: `pill ${clock}`, id: 'clock-status' }, t(`ctl.status.${clock}` as TextKey)),
        scenarioNow !== undefined ? h('span', { class: 'big-clock' }, scenarioClock(scenarioNow)) : null,
      ),
      h(
        'div',
        { class: 'buttons' },
        btn('ctl.start', 'start', clock === 'created', 'primary'),
        btn('ctl.pause', 'pause', clock === 'running'),
        btn('ctl.resume', 'resume', clock === 'paused', 'primary'),
        btn('ctl.stop', 'stop', clock === 'running' || clock === 'paused', 'danger'),
      ),
      h(
        'div',
        { class: 'row inline' },
        h('label', { for: 'speed' }, t('ctl.speed')),
        speed,
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            disabled: !isController || clock === 'stopped',
            onclick: () => void clockVerb(clock === 'created' ? 'start' : 'speed', Number(speed.value)),
          },
          t('ctl.setSpeed'),
        ),
      ),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            id: 'freeze',
            disabled: !isController,
            onclick: async () => {
              try {
                const r = await api<{ frozen: boolean }>('POST', '/api/scoreboard/freeze', {
                  frozen: !frozen,
                  reason: t('ctl.freezeReason'),
                });
                frozen = r.frozen;
                renderClock();
              } catch (e) {
                fail(clockStatus)(e);
              }
            },
          },
          frozen ? t('ctl.unfreeze') : t('ctl.freeze'),
        ),
      ),
      clockStatus,
    );
  }

  function renderFeed(): void {
    if (feed.length === 0) {
      mount(feedList, h('li', { class: 'empty' }, t('ctl.feedEmpty')));
      return;
    }
    mount(
      feedList,
      ...feed.map((e) =>
        h(
          'li',
          { class: `ev ev-${e.type.split('.')[0]}` },
          h('time', { title: wallTime(e.wallTime) }, scenarioClock(e.scenarioTime)),
          h('span', { class: 'team-tag' }, e.team ?? '*'),
          h('span', { class: 'type' }, e.type),
          h('span', { class: 'detail' }, summary(e)),
        ),
      ),
    );
  }

  function renderLinks(): void {
    const role = h(
      'select',
      { id: 'link-role' },
      ...(['team', 'spectator', 'evaluator', 'controller'] as const).map((r) =>
        h('option', { value: r }, t(`role.${r}`)),
      ),
    );
    const team = h(
      'select',
      { id: 'link-team' },
      ...teams.map((x) => h('option', { value: x.id }, `${x.id} · ${x.name}`)),
    );
    const label = h('input', { type: 'text', id: 'link-label', maxlength: 64 });
    mount(
      linksBox,
      created
        ? h(
            'div',
            { class: 'created', role: 'status' },
            h('p', {}, t('ctl.linkCreated')),
            h('input', {
              type: 'text',
              readonly: true,
              class: 'mono',
              value: created.url,
              'aria-label': created.label,
            }),
          )
        : null,
      h(
        'table',
        { class: 'links' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('ctl.linkRole')),
            h('th', {}, t('ctl.linkTeam')),
            h('th', {}, t('ctl.linkLabel')),
            h('th', {}, t('ctl.linkExpires')),
            h('th', {}, ''),
          ),
        ),
        h(
          'tbody',
          {},
          ...links.map((l) =>
            h(
              'tr',
              { class: l.revoked ? 'revoked' : '' },
              h('td', {}, t(`role.${l.role}`)),
              h('td', {}, l.team ?? t('common.none')),
              h('td', {}, l.label),
              h('td', {}, wallTime(l.expiresAt)),
              h(
                'td',
                {},
                l.revoked
                  ? t('ctl.linkRevoked')
                  : h(
                      'button',
                      {
                        type: 'button',
                        class: 'link danger',
                        disabled: !isController,
                        onclick: async () => {
                          try {
                            await api('DELETE', `/api/links/${encodeURIComponent(l.id)}`);
                            await loadLinks();
                          } catch (e) {
                            fail(linkStatus)(e);
                          }
                        },
                      },
                      t('ctl.linkRevoke'),
                    ),
              ),
            ),
          ),
        ),
      ),
      h(
        'form',
        {
          class: 'row inline',
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            try {
              created = await api<CreatedJoinLink>('POST', '/api/links', {
                role: role.value,
                ...(role.value === 'team' ? { team: team.value } : {}),
                ...(label.value.trim() ? { label: label.value.trim() } : {}),
              });
              await loadLinks();
            } catch (e) {
              fail(linkStatus)(e);
            }
          },
        },
        h('label', { for: 'link-role' }, t('ctl.linkRole')),
        role,
        h('label', { for: 'link-team' }, t('ctl.linkTeam')),
        team,
        h('label', { for: 'link-label' }, t('ctl.linkLabel')),
        label,
        h('button', { type: 'submit', class: 'secondary', disabled: !isController }, t('ctl.linkCreate')),
      ),
      linkStatus,
    );
  }

  function injectForm(): HTMLElement {
    const id = h('input', {
      type: 'text',
      id: 'inject-id',
      list: 'inject-ids',
      required: true,
      autocomplete: 'off',
    });
    const team = h(
      'select',
      { id: 'inject-team' },
      h('option', { value: '' }, t('ctl.allTeams')),
      ...teams.map((x) => h('option', { value: x.id }, `${x.id} · ${x.name}`)),
    );
    const reason = h('input', { type: 'text', id: 'inject-reason', required: true, maxlength: 500 });
    const send = async (verb: 'fire' | 'skip') => {
      try {
        await api('POST', `/api/exercise/injects/${encodeURIComponent(id.value.trim())}/${verb}`, {
          reason: reason.value.trim() || verb,
          ...(team.value ? { team: team.value } : {}),
        });
        injectStatus.textContent = t('ctl.done', {
          verb: t(verb === 'fire' ? 'ctl.fire' : 'ctl.skip'),
          inject: id.value,
        });
        injectStatus.className = 'status ok';
        void pollEvents();
        void msel.refresh();
      } catch (e) {
        fail(injectStatus)(e);
      }
    };
    return h(
      'form',
      { class: 'inject-form', onsubmit: (ev: Event) => ev.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'inject-id' }, t('ctl.inject')), id, injectList),
      h('div', { class: 'field' }, h('label', { for: 'inject-team' }, t('common.team')), team),
      h('div', { class: 'field' }, h('label', { for: 'inject-reason' }, t('ctl.reason')), reason),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'button', class: 'primary', disabled: !isController, onclick: () => void send('fire') },
          t('ctl.fire'),
        ),
        h(
          'button',
          { type: 'button', class: 'secondary', disabled: !isController, onclick: () => void send('skip') },
          t('ctl.skip'),
        ),
      ),
      injectStatus,
    );
  }

  function render(): void {
    const main = frame('controller', me);
    mount(
      main,
      h(
        'div',
        { class: 'ctl-grid' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'clock-h' },
          h('h2', { id: 'clock-h' }, t('ctl.clock')),
          clockBox,
        ),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'inject-h' },
          h('h2', { id: 'inject-h' }, t('ctl.injects')),
          injectForm(),
        ),
        range.element,
        msel.element,
        adjudication.element,
        h(
          'section',
          { class: 'card feed-card', 'aria-labelledby': 'feed-h' },
          h('h2', { id: 'feed-h' }, t('ctl.feed')),
          feedList,
        ),
        isController
          ? h(
              'section',
              { class: 'card links-card', 'aria-labelledby': 'links-h' },
              h('h2', { id: 'links-h' }, t('ctl.links')),
              linksBox,
            )
          : null,
        isController ? teardownPanel() : null,
      ),
    );
    renderClock();
    renderFeed();
    renderLinks();
    msel.render();
    adjudication.render();
    range.render();
  }

  async function loadLinks(): Promise<void> {
    if (!isController) return;
    links = (await api<{ links: JoinLinkInfo[] }>('GET', '/api/links')).links;
    renderLinks();
  }

  let polling = false;
  async function pollEvents(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const health = await api<{ clock: string }>('GET', '/api/health');
      if (health.clock !== clock) {
        clock = health.clock;
        renderClock();
      }
      let added = false;
      for (const team of teams) {
        const since = after.get(team.id) ?? 0;
        const { events } = await api<{ events: TeamEvent[] }>(
          'GET',
          `/api/teams/${encodeURIComponent(team.id)}/events?after=${since}&limit=200`,
        );
        for (const e of events) {
          after.set(team.id, Math.max(after.get(team.id) ?? 0, e.seq));
          if (!feed.some((x) => x.seq === e.seq)) feed.push(e);
          const inject = (e.payload as { inject?: unknown } | null)?.inject;
          if (typeof inject === 'string' && !injects.has(inject)) {
            injects.add(inject);
            injectList.appendChild(h('option', { value: inject }));
          }
          added = true;
        }
      }
      if (added) {
        feed.sort((a, b) => b.seq - a.seq);
        feed.splice(FEED_MAX);
        renderFeed();
      }
    } catch {
      // the next poll tries again
    } finally {
      polling = false;
    }
  }

  onLangChange(render);
  render();
  live().on('scoreboard:update', (b: ScoreboardView) => {
    scenarioNow = b.at;
    const f = b.audience === 'public' ? b.frozen : frozen;
    if (f !== frozen) frozen = f;
    const big = clockBox.querySelector('.big-clock');
    if (big) big.textContent = scenarioClock(b.at);
    else renderClock();
  });
  void (async () => {
    teams = (await api<{ teams: Team[] }>('GET', '/api/teams')).teams;
    render();
    await loadLinks();
    await pollEvents();
    setInterval(() => void pollEvents(), POLL_MS);
  })();
}
