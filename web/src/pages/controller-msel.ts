/**
 * Two cards of the controller console: the MSEL (every inject, what fired, what is next, each
 * team's state and branch, with fire/skip per team) and the adjudication queue (submitted reports
 * and manual expectations to grade with a rubric level, and score overrides with a reason).
 * Each card polls on its own and re-renders only when what it shows changed, so a half-typed
 * reason is not lost.
 */
import type { MselInject, MselTeamState, MselView } from '../../../src/wire/msel';
import type { SubmittedReport } from '../../../src/wire/report';
import type { TeamScoreView } from '../../../src/wire/views';
import { ApiFailure, api } from '../api';
import { h, mount } from '../dom';
import { type TextKey, t } from '../i18n';
import { statusLine } from '../layout';
import { scenarioClock } from '../time';
import './controller-msel.css';

const POLL_MS = 1500;

export interface Panel {
  element: HTMLElement;
  /** Re-renders in the current language. */
  render(): void;
  /** Loads now (after a verb elsewhere). */
  refresh(): Promise<void>;
}

const failText = (e: unknown) =>
  t('error.generic', { message: e instanceof ApiFailure ? e.body.message : String(e) });

function poll(fn: () => Promise<void>): void {
  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    void fn().finally(() => {
      busy = false;
    });
  }, POLL_MS);
}

function stateCell(
  inj: MselInject,
  team: string,
  s: MselTeamState,
  isController: boolean,
  send: (verb: 'fire' | 'skip', inject: string, team: string) => void,
): HTMLElement {
  const when =
    s.at !== undefined
      ? scenarioClock(s.at)
      : s.nextDueAt !== undefined
        ? t('msel.due', { time: scenarioClock(s.nextDueAt) })
        : inj.trigger === 'after'
          ? t('msel.waiting')
          : '';
  const btn = (verb: 'fire' | 'skip') =>
    h(
      'button',
      {
        type: 'button',
        class: verb === 'fire' ? 'link' : 'link danger',
        'data-verb': verb,
        'aria-label': t(verb === 'fire' ? 'msel.fireFor' : 'msel.skipFor', { inject: inj.id, team }),
        disabled: !isController || s.cancelled,
        onclick: () => send(verb, inj.id, team),
      },
      t(verb === 'fire' ? 'msel.fire' : 'msel.skip'),
    );
  return h(
    'td',
    { class: 'msel-cell', id: `msel-${inj.id}-${team}`, 'data-state': s.state },
    h('span', { class: `msel-state st-${s.state}` }, t(`msel.state.${s.state}` as TextKey)),
    s.occurrences > 1 ? h('span', { class: 'msel-count' }, `×${s.occurrences}`) : null,
    s.manualPending ? h('span', { class: 'msel-count' }, t('msel.requested')) : null,
    when ? h('span', { class: 'msel-when' }, when) : null,
    s.at !== undefined && s.nextDueAt !== undefined
      ? h('span', { class: 'msel-when' }, t('msel.due', { time: scenarioClock(s.nextDueAt) }))
      : null,
    isController ? h('span', { class: 'msel-btns' }, btn('fire'), btn('skip')) : null,
  );
}

/** The MSEL card. */
export function mselPanel(isController: boolean): Panel {
  let view: MselView | undefined;
  let shown = '';
  const element = h('section', { class: 'card msel-card', 'aria-labelledby': 'msel-h' });
  const table = h('div', { class: 'msel-table-wrap' });
  const status = statusLine();
  const reason = h('input', {
    type: 'text',
    id: 'msel-reason',
    maxlength: 500,
    value: 'MSEL',
  });

  const send = async (verb: 'fire' | 'skip', inject: string, team: string) => {
    try {
      await api('POST', `/api/exercise/injects/${encodeURIComponent(inject)}/${verb}`, {
        team,
        reason: reason.value.trim() || verb,
      });
      status.textContent = t('ctl.done', { verb: t(verb === 'fire' ? 'ctl.fire' : 'ctl.skip'), inject });
      status.className = 'status ok';
      await refresh();
    } catch (e) {
      status.textContent = failText(e);
      status.className = 'status error';
    }
  };

  function renderTable(): void {
    if (!view) {
      mount(table, h('p', { class: 'muted' }, t('home.loading')));
      return;
    }
    const v = view;
    const next = new Map<string, number>();
    for (const inj of v.injects)
      for (const [team, s] of Object.entries(inj.teams))
        if (s.state === 'pending' && s.nextDueAt !== undefined)
          next.set(team, Math.min(next.get(team) ?? Infinity, s.nextDueAt));
    mount(
      table,
      h(
        'p',
        { class: 'msel-now' },
        t('ctl.scenarioTime'),
        ' ',
        h('strong', {}, scenarioClock(v.scenarioTime)),
      ),
      h(
        'table',
        { class: 'msel', id: 'msel-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('msel.inject')),
            h('th', {}, t('msel.phase')),
            h('th', {}, t('msel.technique')),
            h('th', {}, t('msel.trigger')),
            ...v.teams.map((x) => h('th', { scope: 'col' }, `${x.id} · ${x.name}`)),
          ),
        ),
        h(
          'tbody',
          {},
          ...v.injects.map((inj) =>
            h(
              'tr',
              {
                'data-inject': inj.id,
                class: v.teams.some((x) => {
                  const s = inj.teams[x.id];
                  return (
                    s?.state === 'pending' && s.nextDueAt !== undefined && s.nextDueAt === next.get(x.id)
                  );
                })
                  ? 'msel-next'
                  : '',
              },
              h(
                'th',
                { scope: 'row' },
                h('span', { class: 'mono' }, inj.id),
                h('br', {}),
                h('span', { class: 'msel-title' }, inj.title),
              ),
              h('td', {}, inj.phase),
              h('td', { class: 'mono' }, inj.technique ?? t('common.none')),
              h(
                'td',
                {},
                h('span', { class: 'mono' }, inj.triggerSummary),
                inj.conditional ? h('span', { class: 'msel-branch' }, t('msel.conditional')) : null,
              ),
              ...v.teams.map((x) =>
                stateCell(inj, x.id, inj.teams[x.id]!, isController, (a, b, c) => void send(a, b, c)),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function render(): void {
    mount(
      element,
      h('h2', { id: 'msel-h' }, t('msel.title')),
      isController
        ? h('div', { class: 'row inline' }, h('label', { for: 'msel-reason' }, t('ctl.reason')), reason)
        : null,
      table,
      status,
    );
    renderTable();
  }

  async function refresh(): Promise<void> {
    try {
      const v = await api<MselView>('GET', '/api/exercise/msel');
      const { scenarioTime: _, ...rest } = v;
      const key = JSON.stringify(rest);
      view = v;
      if (key !== shown) {
        shown = key;
        renderTable();
      } else {
        const now = table.querySelector('.msel-now strong');
        if (now) now.textContent = scenarioClock(v.scenarioTime);
      }
    } catch {
      // the next poll tries again
    }
  }

  render();
  void refresh();
  poll(refresh);
  return { element, render, refresh };
}

interface TeamQueue {
  id: string;
  name: string;
  score?: TeamScoreView;
  reports: SubmittedReport[];
}

/** The adjudication queue card: reports and manual expectations to grade, and overrides. */
export function adjudicationPanel(isController: boolean): Panel {
  let manual: MselInject['expectations'] = [];
  let all: MselInject['expectations'] = [];
  let teams: TeamQueue[] = [];
  let shown = '';
  const element = h('section', { class: 'card adj-card', 'aria-labelledby': 'adj-h' });
  const body = h('div', { id: 'adj-queue' });
  const status = statusLine();

  const report = (r: SubmittedReport) =>
    h(
      'li',
      { class: 'adj-report', 'data-report': r.id },
      h(
        'details',
        {},
        h(
          'summary',
          {},
          h('strong', {}, r.title),
          ' · ',
          t(`report.kind.${r.kind}` as TextKey),
          ' · ',
          scenarioClock(r.scenarioTime),
          ' · ',
          t('report.by', { actor: r.actor }),
        ),
        h(
          'dl',
          {},
          h('dt', {}, t('report.to')),
          h('dd', {}, r.to ?? t('report.to.none')),
          h('dt', {}, t('report.hosts')),
          h('dd', { class: 'mono' }, (r.hosts ?? []).join(', ') || t('common.none')),
          h('dt', {}, t('report.indicators')),
          h('dd', { class: 'mono' }, (r.indicators ?? []).join(', ') || t('common.none')),
          h('dt', {}, t('report.techniques')),
          h('dd', { class: 'mono' }, (r.techniques ?? []).join(', ') || t('common.none')),
          h('dt', {}, t('report.narrative')),
          h('dd', { class: 'adj-narrative' }, r.narrative ?? ''),
        ),
      ),
    );

  const submit = async (path: string, payload: unknown, done: string) => {
    try {
      await api('POST', path, payload);
      status.textContent = done;
      status.className = 'status ok';
      shown = '';
      await refresh();
    } catch (e) {
      status.textContent = failText(e);
      status.className = 'status error';
    }
  };

  function expectationRow(team: TeamQueue, x: MselInject['expectations'][number]): HTMLElement {
    const lines = (team.score?.entries ?? []).filter(
      (e) => e.expectation === x.id && (e.kind === 'manual-grade' || e.kind === 'override'),
    );
    const last = lines[lines.length - 1];
    const earned = lines.reduce((n, e) => n + e.points, 0);
    const base = `adj-${team.id}-${x.id}`;
    const level = h(
      'select',
      { id: `${base}-level`, 'aria-label': t('adj.level') },
      ...(x.rubric ?? []).map((l) =>
        h('option', { value: l.level }, `${l.level} (${l.points}) — ${l.description}`),
      ),
    );
    const reason = h('input', {
      type: 'text',
      id: `${base}-reason`,
      maxlength: 2000,
      placeholder: t('adj.reason'),
      'aria-label': t('adj.reason'),
    });
    const points = h('input', {
      type: 'number',
      id: `${base}-points`,
      min: 0,
      max: x.points,
      step: 1,
      'aria-label': t('adj.overridePoints'),
    });
    const oreason = h('input', {
      type: 'text',
      id: `${base}-oreason`,
      maxlength: 2000,
      placeholder: t('adj.overrideReason'),
      'aria-label': t('adj.overrideReason'),
    });
    const needReason = (input: HTMLInputElement): string | undefined => {
      const v = input.value.trim();
      if (!v) {
        status.textContent = t('adj.reasonRequired');
        status.className = 'status error';
        input.focus();
        return undefined;
      }
      return v;
    };
    return h(
      'tr',
      { id: base, 'data-graded': last ? 'yes' : 'no' },
      h(
        'td',
        {},
        h('strong', {}, x.title),
        h('br', {}),
        h('span', { class: 'mono muted' }, `${x.id} · ${x.type}`),
      ),
      h('td', {}, `${x.points}`),
      h(
        'td',
        { class: 'adj-status' },
        last
          ? t('adj.graded', { points: earned, by: last.by, reason: last.reason })
          : x.type === 'manual'
            ? h('span', { class: 'pill' }, t('adj.awaiting'))
            : h('span', { class: 'muted' }, t('adj.automatic')),
      ),
      h(
        'td',
        {},
        x.type === 'manual'
          ? h(
              'div',
              { class: 'row inline' },
              x.rubric?.length ? level : null,
              reason,
              h(
                'button',
                {
                  type: 'button',
                  class: 'primary',
                  id: `${base}-grade`,
                  onclick: () => {
                    const why = needReason(reason);
                    if (!why) return;
                    void submit(
                      `/api/teams/${encodeURIComponent(team.id)}/grades`,
                      x.rubric?.length
                        ? { expectation: x.id, level: level.value, reason: why }
                        : { expectation: x.id, points: x.points, reason: why },
                      t('adj.gradeDone', { team: team.id, expectation: x.id }),
                    );
                  },
                },
                t('adj.grade'),
              ),
            )
          : null,
        isController
          ? h(
              'div',
              { class: 'row inline' },
              points,
              oreason,
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  id: `${base}-override`,
                  onclick: () => {
                    const why = needReason(oreason);
                    if (!why) return;
                    if (points.value === '') {
                      points.focus();
                      return;
                    }
                    void submit(
                      `/api/teams/${encodeURIComponent(team.id)}/overrides`,
                      { expectation: x.id, points: Number(points.value), reason: why },
                      t('adj.overrideDone', { team: team.id, expectation: x.id }),
                    );
                  },
                },
                t('adj.override'),
              ),
            )
          : null,
      ),
    );
  }

  function renderQueue(): void {
    mount(
      body,
      ...teams.map((team) => {
        const list = isController ? all : manual;
        return h(
          'div',
          { class: 'adj-team', id: `adj-team-${team.id}` },
          h(
            'h3',
            {},
            `${team.id} · ${team.name} — `,
            t('score.total'),
            ' ',
            h('span', { class: 'adj-total', id: `adj-score-${team.id}` }, String(team.score?.total ?? 0)),
          ),
          h('h4', {}, t('adj.reports')),
          team.reports.length
            ? h('ul', { class: 'adj-reports' }, ...team.reports.map(report))
            : h('p', { class: 'muted' }, t('report.none')),
          h(
            'table',
            { class: 'adj-expectations' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, t('adj.expectation')),
                h('th', {}, t('score.points')),
                h('th', {}, t('ctl.status')),
                h('th', {}, ''),
              ),
            ),
            h(
              'tbody',
              {},
              // Manual expectations first (they wait for a grader), then the rest for overrides.
              ...list
                .slice()
                .sort((a, b) => Number(b.type === 'manual') - Number(a.type === 'manual'))
                .map((x) => expectationRow(team, x)),
            ),
          ),
        );
      }),
    );
  }

  function render(): void {
    mount(
      element,
      h('h2', { id: 'adj-h' }, t('adj.title')),
      h('p', { class: 'muted' }, t('adj.help')),
      body,
      status,
    );
    renderQueue();
  }

  async function refresh(): Promise<void> {
    try {
      const v = await api<MselView>('GET', '/api/exercise/msel');
      all = v.injects.flatMap((i) => i.expectations);
      manual = all.filter((x) => x.type === 'manual');
      const next: TeamQueue[] = [];
      for (const team of v.teams) {
        const id = encodeURIComponent(team.id);
        const [score, reports] = await Promise.all([
          api<TeamScoreView>('GET', `/api/teams/${id}/score`),
          api<{ reports: SubmittedReport[] }>('GET', `/api/teams/${id}/reports`),
        ]);
        next.push({ ...team, score, reports: reports.reports });
      }
      teams = next;
      const key = JSON.stringify(
        teams.map((x) => [x.id, x.score?.total, x.score?.entries?.length, x.reports.map((r) => r.id)]),
      );
      if (key !== shown) {
        shown = key;
        renderQueue();
      }
    } catch {
      // the next poll tries again
    }
  }

  render();
  void refresh();
  poll(refresh);
  return { element, render, refresh };
}
