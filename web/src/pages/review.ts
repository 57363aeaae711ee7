/**
 * The after-action review for instructors: every team's timeline on one time axis, scores side by
 * side, the time-to-detect / time-to-respond table, technique coverage, the HSEEP summary (ratings,
 * strengths, areas for improvement, notes — editable), a replay slider and the exports.
 * Participant text is always put in as text (dom.ts has no innerHTML).
 */
import './review.css';
import type { Review, TeamReview, TimelineItem } from '../../../src/review/review-types';
import type { Me } from '../../../src/wire/views';
import { api } from '../api';
import { legend, PALETTE, type Series, scoreChart } from '../chart';
import { h, mount, svg } from '../dom';
import { lang, onLangChange } from '../i18n';
import { frame } from '../layout';
import { scenarioClock } from '../time';

const TEXT = {
  en: {
    title: 'After-action review',
    replay: 'Replay: state at',
    live: 'end',
    exports: 'Export',
    scores: 'Scores',
    timeline: 'Timelines',
    ttd: 'Time to detect / respond',
    coverage: 'Technique coverage',
    summary: 'Summary (HSEEP)',
    objective: 'Objective',
    step: 'Attack step',
    technique: 'Technique',
    team: 'Team',
    points: 'Points',
    meanTtd: 'Mean time to detect',
    meanTtr: 'Mean time to respond',
    caught: 'caught',
    missed: 'missed',
    strengths: 'Strengths',
    improvements: 'Areas for improvement',
    notes: 'Instructor notes',
    save: 'Save summary',
    saved: 'Saved.',
    onePerLine: 'One per line.',
    ratings: 'P performed · S some challenges · M major challenges · U unable to perform',
    kinds: 'Show',
    details: 'All events',
    time: 'Time',
    what: 'What',
    kind: 'Kind',
  },
  ja: {
    title: '事後レビュー',
    replay: 'リプレイ: 時点',
    live: '最後',
    exports: 'エクスポート',
    scores: 'スコア',
    timeline: 'タイムライン',
    ttd: '検知・対応までの時間',
    coverage: '手法ごとの検知',
    summary: 'まとめ (HSEEP)',
    objective: '目標',
    step: '攻撃ステップ',
    technique: '手法',
    team: 'チーム',
    points: '得点',
    meanTtd: '平均検知時間',
    meanTtr: '平均対応時間',
    caught: '検知',
    missed: '未検知',
    strengths: '良かった点',
    improvements: '改善点',
    notes: '講師メモ',
    save: 'まとめを保存',
    saved: '保存しました。',
    onePerLine: '1 行に 1 項目。',
    ratings: 'P 実施できた · S 一部課題 · M 大きな課題 · U 実施できず',
    kinds: '表示',
    details: '全イベント',
    time: '時刻',
    what: '内容',
    kind: '種類',
  },
};
type Key = keyof (typeof TEXT)['en'];
const tt = (k: Key) => TEXT[lang()][k];

const KIND_COLORS: Record<TimelineItem['kind'], string> = {
  attack: '#b3261e',
  inject: '#6b7280',
  message: '#0b5cad',
  detection: '#1b6e3a',
  alert: '#8a5300',
  action: '#7c3aed',
  report: '#0891b2',
  outage: '#dc2626',
  restored: '#16a34a',
  penalty: '#b45309',
  score: '#15803d',
  grade: '#0e7490',
  hint: '#a16207',
  control: '#374151',
};

const KIND_NAMES: Record<'en' | 'ja', Record<TimelineItem['kind'], string>> = {
  en: {
    attack: 'attack step',
    inject: 'inject',
    message: 'message',
    detection: 'first detection',
    alert: 'alert',
    action: 'action',
    report: 'report',
    outage: 'service down',
    restored: 'service up',
    penalty: 'penalty',
    score: 'points',
    grade: 'grade',
    hint: 'hint',
    control: 'controller',
  },
  ja: {
    attack: '攻撃ステップ',
    inject: 'インジェクト',
    message: 'メッセージ',
    detection: '最初の検知',
    alert: 'アラート',
    action: '対応',
    report: '報告',
    outage: 'サービス停止',
    restored: 'サービス復旧',
    penalty: '減点',
    score: '得点',
    grade: '採点',
    hint: 'ヒント',
    control: 'コントローラ',
  },
};
const kindName = (k: TimelineItem['kind']) => KIND_NAMES[lang()][k];

const minutes = (s: number | undefined) => (s === undefined ? '—' : `${(s / 60).toFixed(1)} min`);

function lanes(review: Review, onPick: (at: number) => void): SVGSVGElement {
  const W = 1200;
  const laneH = 46;
  const pad = { l: 130, r: 20, t: 24, b: 24 };
  const H = pad.t + pad.b + laneH * review.teams.length;
  const end = Math.max(review.end, 60);
  const x = (at: number) => pad.l + (at / end) * (W - pad.l - pad.r);
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'lanes',
    role: 'img',
    'aria-label': tt('timeline'),
  });
  for (let m = 0; m <= end / 60; m += Math.max(1, Math.ceil(end / 60 / 12))) {
    chart.appendChild(
      svg('line', { x1: x(m * 60), x2: x(m * 60), y1: pad.t - 6, y2: H - pad.b, class: 'grid' }),
    );
    chart.appendChild(
      svg('text', { x: x(m * 60), y: H - 6, 'text-anchor': 'middle', class: 'tick' }, `+${m}m`),
    );
  }
  review.teams.forEach((t, i) => {
    const y = pad.t + i * laneH + laneH / 2;
    chart.appendChild(svg('text', { x: 8, y: y + 4, class: 'lane-name' }, t.name));
    chart.appendChild(svg('line', { x1: pad.l, x2: W - pad.r, y1: y, y2: y, class: 'lane' }));
    for (const item of t.timeline) {
      const dy =
        item.kind === 'attack' || item.kind === 'inject'
          ? -10
          : item.kind === 'score' || item.kind === 'penalty'
            ? 10
            : 0;
      const mark = svg(
        item.kind === 'attack' ? 'rect' : 'circle',
        item.kind === 'attack'
          ? {
              x: x(item.at) - 5,
              y: y + dy - 5,
              width: 10,
              height: 10,
              fill: KIND_COLORS[item.kind],
              class: 'mark',
            }
          : {
              cx: x(item.at),
              cy: y + dy,
              r: item.kind === 'detection' ? 7 : 4.5,
              fill: KIND_COLORS[item.kind],
              class: 'mark',
            },
        svg('title', {}, `${scenarioClock(item.at)} · ${item.title}`),
      );
      mark.addEventListener('click', () => onPick(item.at));
      chart.appendChild(mark);
    }
  });
  chart.appendChild(
    svg('line', { x1: x(review.at), x2: x(review.at), y1: pad.t - 10, y2: H - pad.b, class: 'now' }),
  );
  return chart;
}

function kindLegend(): HTMLElement {
  return h(
    'ul',
    { class: 'kind-legend' },
    ...(
      [
        'attack',
        'inject',
        'message',
        'alert',
        'detection',
        'action',
        'report',
        'outage',
        'score',
        'penalty',
      ] as const
    ).map((k) => h('li', {}, h('span', { class: 'swatch', 'data-kind': k }), kindName(k))),
  );
}

function teamTable(t: TeamReview): HTMLElement {
  return h(
    'details',
    { class: 'team-events' },
    h('summary', {}, `${t.name} — ${tt('details')} (${t.timeline.length})`),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, tt('time')),
          h('th', {}, tt('kind')),
          h('th', {}, tt('what')),
          h('th', {}, tt('technique')),
        ),
      ),
      h(
        'tbody',
        {},
        ...t.timeline.map((i) =>
          h(
            'tr',
            { class: `k-${i.kind}` },
            h('td', { class: 'mono' }, scenarioClock(i.at)),
            h('td', {}, kindName(i.kind)),
            h('td', {}, i.title),
            h('td', { class: 'mono' }, i.technique ?? ''),
          ),
        ),
      ),
    ),
  );
}

export function reviewPage(me: Me): void {
  let review: Review | undefined;
  let at: number | undefined;
  let message = '';
  let main: HTMLElement;

  async function load(): Promise<void> {
    review = await api<Review>('GET', `/api/review${at === undefined ? '' : `?at=${Math.round(at)}`}`);
    render();
  }

  function exportLink(format: string, label: string): HTMLElement {
    const q = at === undefined ? '' : `?at=${Math.round(at)}`;
    return h(
      'a',
      {
        class: 'button secondary',
        href: `/api/review/export/${format}${q}`,
        download: '',
        id: `export-${format}`,
      },
      label,
    );
  }

  function summaryEditor(r: Review): HTMLElement {
    const strengths = h('textarea', {
      id: 'review-strengths',
      rows: 5,
      value: r.summary.strengths.join('\n'),
    });
    const improvements = h('textarea', {
      id: 'review-improvements',
      rows: 5,
      value: r.summary.improvements.join('\n'),
    });
    const notes = h('textarea', { id: 'review-notes', rows: 3, value: r.summary.notes });
    const lines = (el: HTMLTextAreaElement) =>
      el.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 50)
        .map((l) => l.slice(0, 500));
    const rate = (objective: string, team: string, rating: string) =>
      api('POST', '/api/review/summary', { objective, team, rating }).then(load, (e: Error) => {
        message = e.message;
        render();
      });
    return h(
      'section',
      { class: 'card' },
      h('h2', {}, tt('summary')),
      h('p', { class: 'muted' }, tt('ratings')),
      h(
        'table',
        { class: 'objectives' },
        h('thead', {}, h('tr', {}, h('th', {}, tt('objective')), ...r.teams.map((t) => h('th', {}, t.name)))),
        h(
          'tbody',
          {},
          ...r.summary.objectives.map((o) =>
            h(
              'tr',
              {},
              h('td', {}, o.title, o.edited ? h('span', { class: 'muted' }, ' ✎') : null),
              ...r.teams.map((t) => {
                const sel = h(
                  'select',
                  {
                    class: `rating r${o.ratings[t.team]}`,
                    'aria-label': `${o.title} — ${t.name}`,
                    onchange: () => void rate(o.id, t.team, sel.value),
                  },
                  ...(['P', 'S', 'M', 'U'] as const).map((v) =>
                    h('option', { value: v, ...(o.ratings[t.team] === v ? { selected: true } : {}) }, v),
                  ),
                );
                return h(
                  'td',
                  {},
                  sel,
                  h('span', { class: 'muted share' }, ` ${Math.round((o.shares[t.team] ?? 0) * 100)}%`),
                );
              }),
            ),
          ),
        ),
      ),
      h(
        'div',
        { class: 'summary-grid' },
        h('label', {}, tt('strengths'), h('span', { class: 'muted' }, ` ${tt('onePerLine')}`), strengths),
        h(
          'label',
          {},
          tt('improvements'),
          h('span', { class: 'muted' }, ` ${tt('onePerLine')}`),
          improvements,
        ),
      ),
      h('label', {}, tt('notes'), notes),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            id: 'review-save',
            onclick: () =>
              void api('POST', '/api/review/summary', {
                strengths: lines(strengths),
                improvements: lines(improvements),
                notes: notes.value.slice(0, 10_000),
              }).then(
                () => {
                  message = tt('saved');
                  return load();
                },
                (e: Error) => {
                  message = e.message;
                  render();
                },
              ),
          },
          tt('save'),
        ),
        h('span', { class: 'status', role: 'status' }, message),
      ),
    );
  }

  function render(): void {
    main = frame('review', me, 'wide');
    if (!review) {
      mount(main, h('p', { class: 'muted' }, '…'));
      return;
    }
    const r = review;
    const slider = h('input', {
      type: 'range',
      id: 'replay',
      min: 0,
      max: Math.round(r.end),
      step: 1,
      value: Math.round(r.at),
      'aria-label': tt('replay'),
    });
    const shown = h('output', { for: 'replay', class: 'mono', id: 'replay-at' }, scenarioClock(r.at));
    slider.addEventListener('input', () => {
      shown.textContent = scenarioClock(Number(slider.value));
    });
    slider.addEventListener('change', () => {
      at = Number(slider.value) >= r.end ? undefined : Number(slider.value);
      void load();
    });
    const series: Series[] = r.teams.map((t) => ({
      team: t.team,
      name: t.name,
      points: t.scoreSeries.map(([a, total]) => ({ at: a, total })),
    }));
    const th = () => r.teams.map((t) => h('th', {}, t.name));
    mount(
      main,
      h(
        'div',
        { class: 'review-head card' },
        h('h1', {}, tt('title')),
        h(
          'div',
          { class: 'replay' },
          h('label', { for: 'replay' }, tt('replay')),
          slider,
          shown,
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              onclick: () => {
                at = undefined;
                void load();
              },
            },
            tt('live'),
          ),
        ),
        h(
          'div',
          { class: 'buttons exports' },
          h('span', { class: 'muted' }, `${tt('exports')}:`),
          exportLink('html', 'HTML'),
          exportLink('csv', 'CSV'),
          exportLink('json', 'JSON'),
          exportLink('xapi', 'xAPI'),
        ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, tt('timeline')),
        kindLegend(),
        lanes(r, (t) => {
          at = t;
          void load();
        }),
        ...r.teams.map(teamTable),
      ),
      h(
        'div',
        { class: 'review-grid' },
        h(
          'section',
          { class: 'card' },
          h('h2', {}, tt('scores')),
          scoreChart(series, r.at, tt('scores')),
          legend(series),
          h(
            'table',
            { id: 'review-teams' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, tt('team')),
                h('th', { class: 'num' }, tt('points')),
                h('th', {}, tt('meanTtd')),
                h('th', {}, tt('meanTtr')),
              ),
            ),
            h(
              'tbody',
              {},
              ...r.teams.map((t, i) =>
                h(
                  'tr',
                  {},
                  h(
                    'td',
                    {},
                    svg(
                      'svg',
                      { width: 12, height: 12, 'aria-hidden': 'true' },
                      svg('circle', { cx: 6, cy: 6, r: 6, fill: PALETTE[i % PALETTE.length]! }),
                    ),
                    ' ',
                    t.name,
                  ),
                  h('td', { class: 'num' }, t.total),
                  h('td', {}, minutes(t.meanTimeToDetect)),
                  h('td', {}, minutes(t.meanTimeToRespond)),
                ),
              ),
            ),
          ),
        ),
        h(
          'section',
          { class: 'card' },
          h('h2', {}, tt('ttd')),
          h(
            'table',
            { id: 'review-ttd' },
            h('thead', {}, h('tr', {}, h('th', {}, tt('step')), h('th', {}, tt('technique')), ...th())),
            h(
              'tbody',
              {},
              ...r.coverage.map((c) =>
                h(
                  'tr',
                  {},
                  h('td', {}, c.title),
                  h('td', { class: 'mono' }, c.technique ?? ''),
                  ...r.teams.map((t) => {
                    const s = t.steps.find((x) => x.inject === c.inject);
                    return h('td', {}, `${minutes(s?.timeToDetect)} / ${minutes(s?.timeToRespond)}`);
                  }),
                ),
              ),
            ),
          ),
          h('h2', {}, tt('coverage')),
          h(
            'table',
            { id: 'review-coverage' },
            h('thead', {}, h('tr', {}, h('th', {}, tt('technique')), h('th', {}, tt('step')), ...th())),
            h(
              'tbody',
              {},
              ...r.coverage.map((c) =>
                h(
                  'tr',
                  {},
                  h('td', { class: 'mono' }, c.technique ?? ''),
                  h('td', {}, c.title),
                  ...r.teams.map((t) =>
                    h(
                      'td',
                      { class: c.caught[t.team] ? 'caught' : 'missed' },
                      c.caught[t.team] ? `✔ ${tt('caught')}` : `✘ ${tt('missed')}`,
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
      summaryEditor(r),
    );
  }

  onLangChange(render);
  render();
  void load().catch((e: Error) => {
    message = e.message;
    main = frame('review', me, 'wide');
    mount(main, h('p', { class: 'status error', role: 'alert' }, e.message));
  });
}
