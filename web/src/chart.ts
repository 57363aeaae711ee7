/**
 * Score over time as an inline SVG line chart (no library, nothing fetched): one stepped line
 * per team, x in scenario time, y in points, with a legend. Colours are distinct and readable on
 * the dark projector background.
 */
import { bootData } from './boot';
import { h, svg } from './dom';
import { scenarioClockShort } from './time';

export interface Series {
  team: string;
  name: string;
  points: { at: number; total: number }[];
}

export const PALETTE = [
  '#4fc3f7',
  '#ffb74d',
  '#81c784',
  '#f06292',
  '#ba68c8',
  '#fff176',
  '#4db6ac',
  '#e57373',
  '#90a4ae',
  '#aed581',
];

function niceStep(range: number, ticks: number): number {
  const raw = range / Math.max(1, ticks);
  const mag = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
  return 10 * mag;
}

export function scoreChart(series: Series[], now: number, title: string): SVGSVGElement | HTMLElement {
  const W = 1200;
  const H = 340;
  const pad = { l: 56, r: 32, t: 16, b: 36 };
  const all = series.flatMap((s) => s.points);
  const t0 = Math.min(0, ...all.map((p) => p.at));
  // The whole exercise on the x axis, so the projector also shows how far the day has come.
  const t1 = Math.max(now, t0 + 60, bootData().duration, ...all.map((p) => p.at));
  const lo = Math.min(0, ...all.map((p) => p.total));
  const hi = Math.max(10, ...all.map((p) => p.total));
  const x = (at: number) => pad.l + ((at - t0) / (t1 - t0)) * (W - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart',
    role: 'img',
    'aria-label': title,
  });
  const yStep = niceStep(hi - lo, 5);
  for (let v = Math.ceil(lo / yStep) * yStep, i = 0; v <= hi && i < 20; v += yStep, i++) {
    chart.appendChild(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid' }));
    chart.appendChild(
      svg('text', { x: pad.l - 8, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, String(v)),
    );
  }
  // Clock-friendly steps: 1, 2, 5, 10, 15, 30 minutes, 1 or 2 hours — about six ticks.
  const xs = [60, 120, 300, 600, 900, 1800, 3600, 7200].find((step) => (t1 - t0) / step <= 7) ?? 14400;
  for (let at = Math.ceil(t0 / xs) * xs, i = 0; at <= t1 && i < 30; at += xs, i++) {
    chart.appendChild(svg('line', { x1: x(at), x2: x(at), y1: H - pad.b, y2: H - pad.b + 5, class: 'axis' }));
    chart.appendChild(
      svg(
        'text',
        { x: x(at), y: H - pad.b + 20, 'text-anchor': 'middle', class: 'tick' },
        scenarioClockShort(at),
      ),
    );
  }
  chart.appendChild(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(0), y2: y(0), class: 'axis' }));
  series.forEach((s, i) => {
    if (s.points.length === 0) return;
    const colour = PALETTE[i % PALETTE.length]!;
    let d = `M ${x(s.points[0]!.at).toFixed(1)} ${y(s.points[0]!.total).toFixed(1)}`;
    for (const p of s.points.slice(1)) d += ` H ${x(p.at).toFixed(1)} V ${y(p.total).toFixed(1)}`;
    const last = s.points[s.points.length - 1]!;
    d += ` H ${x(Math.max(now, last.at)).toFixed(1)}`;
    chart.appendChild(
      svg(
        'path',
        { d, fill: 'none', stroke: colour, 'stroke-width': 3, 'stroke-linejoin': 'round' },
        svg('title', {}, s.name),
      ),
    );
    chart.appendChild(
      svg('circle', { cx: x(Math.max(now, last.at)), cy: y(last.total), r: 5, fill: colour }),
    );
  });
  return chart;
}

export function legend(series: Series[]): HTMLElement {
  return h(
    'ul',
    { class: 'legend' },
    ...series.map((s, i) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.background = PALETTE[i % PALETTE.length]!;
      return h('li', {}, swatch, s.name);
    }),
  );
}
