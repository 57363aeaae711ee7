/**
 * The projector view: live ranking and every team's score over time, pushed over socket.io.
 * Teams and spectators get the public board (freeze and anonymous names applied by the server);
 * the white cell gets the live staff board.
 */
import type { Me, ScoreboardView } from '../../../src/wire/views';
import { legend, type Series, scoreChart } from '../chart';
import { h, mount } from '../dom';
import { onLangChange, t } from '../i18n';
import { frame } from '../layout';
import { live } from '../live';
import { duration, scenarioClock } from '../time';

/** How many points a team's line keeps (a day of changes stays far below). */
const MAX_POINTS = 2000;
const RECENT_MAX = 6;

export function scoreboardPage(me: Me): void {
  let board: ScoreboardView | undefined;
  let connected = false;
  const history = new Map<string, Series>();
  const tableBox = h('div', { id: 'ranking' });
  const chartBox = h('div', { class: 'chart-box', id: 'score-chart' });
  const state = h('span', { class: 'state', id: 'board-state' });
  const recentList = h('ol', { class: 'recent', id: 'recent' });
  /** The latest score changes, newest first, for the ticker under the ranking. */
  const recent: { at: number; team: string; delta: number; met: boolean }[] = [];
  const previous = new Map<string, { total: number; met: number }>();

  function record(b: ScoreboardView): void {
    const seen = new Set<string>();
    for (const row of b.rows) {
      const before = previous.get(row.team);
      if (before && before.total !== row.total) {
        recent.unshift({
          at: row.reachedAt ?? b.at,
          team: row.team,
          delta: row.total - before.total,
          met: row.expectationsMet > before.met,
        });
        recent.splice(RECENT_MAX);
      }
      previous.set(row.team, { total: row.total, met: row.expectationsMet });
      seen.add(row.team);
      let s = history.get(row.team);
      if (!s) {
        s = { team: row.team, name: row.name, points: [] };
        history.set(row.team, s);
      }
      s.name = row.name;
      const last = s.points[s.points.length - 1];
      if (!last || last.total !== row.total) {
        s.points.push({
          at: row.reachedAt !== null && (!last || row.reachedAt >= last.at) ? row.reachedAt : b.at,
          total: row.total,
        });
        if (s.points.length > MAX_POINTS) s.points.splice(0, s.points.length - MAX_POINTS);
      }
    }
    // Rows are keyed by team id; anonymisation switched on mid-session must not leave real names.
    for (const k of [...history.keys()]) if (!seen.has(k)) history.delete(k);
  }

  function renderState(): void {
    state.className = `state ${!connected ? 'offline' : board?.frozen ? 'frozen' : 'live'}`;
    state.textContent = !connected ? t('board.offline') : board?.frozen ? t('board.frozen') : t('board.live');
  }

  function renderBoard(): void {
    renderState();
    if (!board) return;
    const rows = board.rows;
    mount(
      tableBox,
      h(
        'table',
        { class: 'ranking' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col', class: 'rank' }, t('board.rank')),
            h('th', { scope: 'col' }, t('board.team')),
            h('th', { scope: 'col', class: 'num' }, t('board.total')),
            h('th', { scope: 'col', class: 'num' }, t('board.expectations')),
            h('th', { scope: 'col', class: 'num' }, t('board.mttd')),
            h('th', { scope: 'col', class: 'num' }, t('board.mttr')),
            h('th', { scope: 'col' }, t('board.phase')),
          ),
        ),
        h(
          'tbody',
          {},
          ...rows.map((r) => {
            const phase = h('span', { class: 'phase' });
            if (r.phase) {
              const bar = h('span', { class: 'phase-bar', 'aria-hidden': 'true' });
              const fill = h('span', { class: 'phase-fill' });
              fill.style.width = `${Math.round((r.phase.index / r.phase.of) * 100)}%`;
              bar.appendChild(fill);
              phase.append(bar, ` ${r.phase.index}/${r.phase.of}`);
            } else phase.append(t('common.none'));
            return h(
              'tr',
              { 'data-team': r.team },
              h('td', { class: 'rank' }, r.rank),
              h('td', { class: 'name' }, r.name),
              h('td', { class: 'num total' }, r.total),
              h('td', { class: 'num' }, `${r.expectationsMet} / ${r.expectations}`),
              h(
                'td',
                { class: 'num' },
                r.meanTimeToDetect === undefined ? t('common.none') : duration(r.meanTimeToDetect),
              ),
              h(
                'td',
                { class: 'num' },
                r.meanTimeToRespond === undefined ? t('common.none') : duration(r.meanTimeToRespond),
              ),
              h('td', {}, phase),
            );
          }),
        ),
      ),
    );
    const nameOf = (team: string) => history.get(team)?.name ?? team;
    mount(
      recentList,
      ...(recent.length === 0
        ? [h('li', { class: 'muted' }, t('board.recentNone'))]
        : recent.map((r) =>
            h(
              'li',
              {},
              h('time', {}, scenarioClock(r.at)),
              h('span', { class: 'name' }, nameOf(r.team)),
              h(
                'span',
                { class: r.delta < 0 ? 'neg' : 'pos' },
                r.delta > 0 ? `+${r.delta}` : String(r.delta),
              ),
              r.met ? h('span', { class: 'badge' }, t('board.objectiveMet')) : null,
            ),
          )),
    );
    const series = [...history.values()];
    const hasChange = series.some((s) => s.points.length > 0);
    mount(
      chartBox,
      hasChange
        ? scoreChart(series, board.at, t('board.chart'))
        : h('p', { class: 'muted' }, t('board.chartEmpty')),
      legend(series),
    );
  }

  function render(): void {
    const main = frame('scoreboard', me, 'projector');
    mount(
      main,
      h(
        'div',
        { class: 'board-head' },
        h('h1', {}, t('board.title')),
        state,
        h(
          'span',
          { class: 'clock', id: 'board-clock' },
          board ? t('board.updated', { time: scenarioClock(board.at) }) : '',
        ),
      ),
      tableBox,
      h(
        'section',
        { class: 'recent-section', 'aria-labelledby': 'recent-h' },
        h('h2', { id: 'recent-h' }, t('board.recent')),
        recentList,
      ),
      h(
        'section',
        { class: 'chart-section', 'aria-labelledby': 'chart-h' },
        h('h2', { id: 'chart-h' }, t('board.chart')),
        chartBox,
      ),
    );
    renderBoard();
  }

  onLangChange(render);
  render();
  const socket = live();
  socket.on('connect', () => {
    connected = true;
    renderState();
  });
  socket.on('disconnect', () => {
    connected = false;
    renderState();
  });
  socket.on('scoreboard:update', (b) => {
    if (board && b.version < board.version && b.audience === board.audience) return;
    board = b;
    record(b);
    const clock = document.getElementById('board-clock');
    if (clock) clock.textContent = t('board.updated', { time: scenarioClock(b.at) });
    renderBoard();
  });
}
