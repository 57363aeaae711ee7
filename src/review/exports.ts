/**
 * The review's exports: JSON (the review itself), CSV (one row per timeline item), a
 * self-contained HTML report (inline CSS and SVG, no script, no external resource) and xAPI
 * statements for a learning record store. All pure; participant text is escaped everywhere.
 */
import type { Review, TimelineItem } from './review-types';

export function reviewJson(review: Review): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}

const csvCell = (v: unknown): string => {
  let s = v === undefined || v === null ? '' : String(v);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function reviewCsv(review: Review): string {
  const head = ['team', 'scenario_seconds', 'time', 'kind', 'title', 'technique', 'inject', 'points', 'by'];
  const rows = review.teams.flatMap((t) =>
    t.timeline.map((i) =>
      [i.team, i.at, clock(i.at), i.kind, i.title, i.technique, i.inject, i.points, i.by]
        .map(csvCell)
        .join(','),
    ),
  );
  return `${[head.join(','), ...rows].join('\r\n')}\r\n`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Scenario seconds as T+h:mm:ss. */
export function clock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return `T+${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

const minutes = (s: number | undefined) => (s === undefined ? '—' : `${(s / 60).toFixed(1)} min`);
const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777', '#0891b2', '#65a30d'];

function scoreChart(review: Review): string {
  const w = 720;
  const h = 220;
  const pad = 40;
  const end = Math.max(review.at, 1);
  const all = review.teams.flatMap((t) => t.scoreSeries.map(([, v]) => v));
  const max = Math.max(10, ...all);
  const min = Math.min(0, ...all);
  const x = (t: number) => pad + ((w - 2 * pad) * t) / end;
  const y = (v: number) => h - pad - ((h - 2 * pad) * (v - min)) / (max - min || 1);
  const lines = review.teams.map((t, i) => {
    const pts: string[] = [];
    let last = 0;
    for (const [at, v] of t.scoreSeries) {
      pts.push(`${x(at).toFixed(1)},${y(last).toFixed(1)}`, `${x(at).toFixed(1)},${y(v).toFixed(1)}`);
      last = v;
    }
    pts.push(`${x(end).toFixed(1)},${y(last).toFixed(1)}`);
    const color = COLORS[i % COLORS.length];
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/><text x="${w - pad + 4}" y="${y(last).toFixed(1)}" font-size="11" fill="${color}">${escapeHtml(t.name)}</text>`;
  });
  return `<svg viewBox="0 0 ${w + 80} ${h}" role="img" aria-label="Score over time">
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#888"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#888"/>
<text x="${pad}" y="${h - pad + 16}" font-size="11">T+0</text><text x="${w - pad}" y="${h - pad + 16}" font-size="11" text-anchor="end">${clock(end)}</text>
<text x="${pad - 4}" y="${y(max) + 4}" font-size="11" text-anchor="end">${max}</text><text x="${pad - 4}" y="${y(min) + 4}" font-size="11" text-anchor="end">${min}</text>
${lines.join('\n')}</svg>`;
}

function ttdChart(review: Review): string {
  const rows = review.teams.map((t) => ({ name: t.name, v: t.meanTimeToDetect }));
  const max = Math.max(60, ...rows.map((r) => r.v ?? 0));
  const w = 520;
  const bar = 22;
  const h = rows.length * (bar + 8) + 20;
  const bars = rows.map((r, i) => {
    const len = r.v === undefined ? 0 : ((w - 200) * r.v) / max;
    const yy = 10 + i * (bar + 8);
    return `<text x="0" y="${yy + 15}" font-size="12">${escapeHtml(r.name)}</text><rect x="130" y="${yy}" width="${len.toFixed(1)}" height="${bar}" fill="${COLORS[i % COLORS.length]}"/><text x="${(136 + len).toFixed(1)}" y="${yy + 15}" font-size="12">${minutes(r.v)}</text>`;
  });
  return `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="Mean time to detect">${bars.join('')}</svg>`;
}

const RATING_TEXT = { P: 'Performed', S: 'Some challenges', M: 'Major challenges', U: 'Unable to perform' };

export function reviewHtml(review: Review): string {
  const e = escapeHtml;
  const teams = review.teams;
  const th = teams.map((t) => `<th>${e(t.name)}</th>`).join('');
  const ttdRows = review.coverage
    .map((c) => {
      const cells = teams
        .map((t) => {
          const s = t.steps.find((x) => x.inject === c.inject);
          return `<td>${minutes(s?.timeToDetect)} / ${minutes(s?.timeToRespond)}</td>`;
        })
        .join('');
      return `<tr><td>${e(c.title)}</td><td>${e(c.technique ?? '')}</td>${cells}</tr>`;
    })
    .join('');
  const coverage = review.coverage
    .map(
      (c) =>
        `<tr><td>${e(c.technique ?? '')}</td><td>${e(c.title)}</td>${teams.map((t) => `<td class="${c.caught[t.team] ? 'yes' : 'no'}">${c.caught[t.team] ? '✔ caught' : '✘ missed'}</td>`).join('')}</tr>`,
    )
    .join('');
  const objectives = review.summary.objectives
    .map(
      (o) =>
        `<tr><td>${e(o.title)}${o.edited ? ' <small>(edited)</small>' : ''}</td>${teams.map((t) => `<td class="r${o.ratings[t.team]}" title="${RATING_TEXT[o.ratings[t.team] ?? 'U']}">${o.ratings[t.team]}</td>`).join('')}</tr>`,
    )
    .join('');
  const list = (items: string[]) =>
    items.length ? `<ul>${items.map((s) => `<li>${e(s)}</li>`).join('')}</ul>` : '<p>—</p>';
  const timelines = teams
    .map(
      (t) =>
        `<section><h3>${e(t.name)} — ${t.total} points</h3><table><thead><tr><th>Time</th><th>Kind</th><th>What</th><th>Technique</th></tr></thead><tbody>${t.timeline
          .map(
            (i: TimelineItem) =>
              `<tr class="k-${i.kind}"><td>${clock(i.at)}</td><td>${i.kind}</td><td>${e(i.title)}</td><td>${e(i.technique ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table></section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>After-action review — ${e(review.scenario.title)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2937;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #e5e7eb;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f4f6}.yes{background:#dcfce7}.no{background:#fee2e2}.rP{background:#dcfce7}.rS{background:#fef9c3}.rM{background:#fed7aa}.rU{background:#fee2e2}
.k-attack td{color:#b91c1c}.k-penalty td{color:#b45309}.k-detection td{color:#047857;font-weight:600}
svg{max-width:100%;height:auto}.meta{color:#6b7280}
</style></head><body>
<h1>After-action review</h1>
<p class="meta">${e(review.scenario.title)} · session ${e(review.session)} · state at ${clock(review.at)} · times in scenario time (${e(review.scenario.timezone)})</p>
<h2>Scores</h2>${scoreChart(review)}
<table><thead><tr><th>Team</th><th>Points</th><th>Mean time to detect</th><th>Mean time to respond</th></tr></thead><tbody>${teams.map((t) => `<tr><td>${e(t.name)}</td><td>${t.total}</td><td>${minutes(t.meanTimeToDetect)}</td><td>${minutes(t.meanTimeToRespond)}</td></tr>`).join('')}</tbody></table>
<h2>Time to detect / respond</h2>${ttdChart(review)}
<table><thead><tr><th>Attack step</th><th>Technique</th>${th}</tr></thead><tbody>${ttdRows}</tbody></table>
<h2>Technique coverage</h2><table><thead><tr><th>Technique</th><th>Step</th>${th}</tr></thead><tbody>${coverage}</tbody></table>
<h2>Objectives (HSEEP)</h2><p class="meta">P performed · S some challenges · M major challenges · U unable to perform</p>
<table><thead><tr><th>Objective</th>${th}</tr></thead><tbody>${objectives}</tbody></table>
<h3>Strengths</h3>${list(review.summary.strengths)}<h3>Areas for improvement</h3>${list(review.summary.improvements)}
${review.summary.notes ? `<h3>Instructor notes</h3><p>${e(review.summary.notes).replace(/\n/g, '<br>')}</p>` : ''}
<h2>Timelines</h2>${timelines}
</body></html>
`;
}

export interface XapiStatement {
  id?: string;
  actor: { objectType: 'Group'; name: string; account: { homePage: string; name: string } };
  verb: { id: string; display: { 'en-US': string } };
  object: { objectType: 'Activity'; id: string; definition: { name: { 'en-US': string }; type: string } };
  result?: { success?: boolean; score?: { raw: number }; duration?: string };
  timestamp: string;
  context: { extensions: Record<string, unknown> };
}

const VERBS = {
  detection: ['http://adlnet.gov/expapi/verbs/completed', 'detected'],
  report: ['http://adlnet.gov/expapi/verbs/reported', 'reported'],
  action: ['http://adlnet.gov/expapi/verbs/interacted', 'acted'],
  score: ['http://adlnet.gov/expapi/verbs/scored', 'scored'],
  penalty: ['http://adlnet.gov/expapi/verbs/scored', 'scored'],
  attack: ['http://adlnet.gov/expapi/verbs/experienced', 'experienced'],
} as const;

/** xAPI statements: what each team did (detections, reports, actions, score changes). */
export function reviewXapi(review: Review, homePage = 'urn:cyrange'): XapiStatement[] {
  const epoch = review.epochMs ?? 0;
  const base = `urn:cyrange:${review.scenario.id}`;
  return review.teams.flatMap((t) =>
    t.timeline
      .filter((i): i is TimelineItem & { kind: keyof typeof VERBS } => i.kind in VERBS)
      .map((i) => {
        const [verbId, verb] = VERBS[i.kind];
        const step = i.inject ? t.steps.find((s) => s.inject === i.inject) : undefined;
        return {
          actor: { objectType: 'Group' as const, name: t.name, account: { homePage, name: t.team } },
          verb: { id: verbId, display: { 'en-US': verb } },
          object: {
            objectType: 'Activity' as const,
            id: `${base}:${i.inject ? `inject:${i.inject}` : `${i.kind}:${i.seq}`}`,
            definition: { name: { 'en-US': i.title }, type: `${base}:${i.kind}` },
          },
          ...(i.kind === 'detection'
            ? {
                result: {
                  success: true,
                  ...(step?.timeToDetect !== undefined
                    ? { duration: `PT${Math.round(step.timeToDetect)}S` }
                    : {}),
                },
              }
            : i.points !== undefined
              ? { result: { score: { raw: i.points }, success: i.points >= 0 } }
              : {}),
          timestamp: new Date(epoch + i.at * 1000).toISOString(),
          context: {
            extensions: {
              [`${base}:session`]: review.session,
              [`${base}:scenario-seconds`]: i.at,
              ...(i.technique ? { [`${base}:technique`]: i.technique } : {}),
            },
          },
        };
      }),
  );
}
