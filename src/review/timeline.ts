/** One team's timeline: every fact of the log that matters for the review, in time order. */
import type { Plan } from '../compiler/plan';
import { reportFromEvent } from '../scoring/incident-report';
import type { ScoreEntry } from '../scoring/score-entry';
import type { ScoringEvent } from '../scoring/scoring-events';
import type { StepTiming } from '../scoring/step-timing';
import { rangeTimeline } from './range-timeline';
import type { TimelineItem } from './review-types';

const clip = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function teamTimeline(
  plan: Plan,
  team: string,
  events: readonly ScoringEvent[],
  entries: readonly ScoreEntry[],
  steps: readonly StepTiming[],
): TimelineItem[] {
  const title = (inject: string) => plan.injects.find((i) => i.id === inject)?.title ?? inject;
  const out: TimelineItem[] = [];
  const add = (e: ScoringEvent, item: Omit<TimelineItem, 'at' | 'seq' | 'team'>) =>
    out.push({ at: e.scenarioTime, seq: e.seq, team, ...item });
  for (const e of events) {
    if (e.team !== team) continue;
    // biome-ignore lint/suspicious/noExplicitAny: payloads are narrowed by `type` below
    const p = e.payload as any;
    switch (e.type) {
      case 'inject.fired':
        add(e, { kind: 'inject', title: `Inject: ${title(p.inject)}`, inject: p.inject });
        break;
      case 'attack.step':
        add(e, {
          kind: 'attack',
          title: `Attack step: ${title(p.inject)} (${p.technique})`,
          technique: p.technique,
          inject: p.inject,
        });
        break;
      case 'message.delivered':
        add(e, {
          kind: 'message',
          title: `Message from ${p.sender}: ${clip(String(p.subject))}`,
          inject: p.inject,
        });
        break;
      case 'alert.raised':
        add(e, { kind: 'alert', title: `Alert (${p.severity}): ${clip(String(p.title))}` });
        break;
      case 'team.action':
        add(e, {
          kind: 'action',
          title: `Action ${p.action}: ${clip(JSON.stringify(p.detail ?? {}))}`,
          by: p.actor,
        });
        break;
      case 'report.submitted':
        {
          // The team's title (or the narrative's first line) tells the reader which report it was.
          const r = reportFromEvent(p);
          const name = (r.title ?? r.narrative.split('\n', 1)[0] ?? '').trim();
          add(e, {
            kind: 'report',
            title: `Report (${p.kind}) submitted${name ? `: ${clip(name, 80)}` : ''}`,
            by: p.actor,
          });
        }
        break;
      case 'service.checked':
        break;
      case 'hint.given':
        add(e, { kind: 'hint', title: `Hint: ${clip(String(p.hint))}`, by: p.by });
        break;
      case 'expectation.graded':
        add(e, { kind: 'grade', title: `Graded ${p.expectation}: ${clip(String(p.reason))}`, by: p.grader });
        break;
      case 'controller.override':
        add(e, {
          kind: 'control',
          title: `Controller ${p.action}${p.inject ? ` ${p.inject}` : ''}: ${clip(p.reason)}`,
          by: p.by,
        });
        break;
      default:
        break;
    }
  }
  // Service outages: the first failed check after a good one, and the first good one after.
  let down = new Map<string, boolean>();
  for (const e of events) {
    if (e.team !== team || e.type !== 'service.checked') continue;
    const p = e.payload;
    const key = `${p.host}/${p.service}`;
    const was = down.get(key) ?? false;
    if (!p.ok && !was)
      out.push({ at: e.scenarioTime, seq: e.seq, team, kind: 'outage', title: `Service down: ${key}` });
    if (p.ok && was)
      out.push({ at: e.scenarioTime, seq: e.seq, team, kind: 'restored', title: `Service up: ${key}` });
    down = down.set(key, !p.ok);
  }
  out.push(...rangeTimeline(team, events));
  for (const s of steps) {
    if (s.detectedAt !== undefined)
      out.push({
        at: s.detectedAt,
        seq: -1,
        team,
        kind: 'detection',
        title: `First detection: ${title(s.inject)}`,
        inject: s.inject,
        ...(s.technique ? { technique: s.technique } : {}),
      });
  }
  for (const x of entries) {
    out.push({
      at: x.at,
      seq: x.seq,
      team,
      kind: x.points < 0 ? 'penalty' : 'score',
      title: `${x.points >= 0 ? '+' : ''}${x.points}: ${x.reason}`,
      points: x.points,
      by: x.by,
      ...(x.inject ? { inject: x.inject } : {}),
    });
  }
  return out.sort((a, b) => a.at - b.at || a.seq - b.seq);
}
