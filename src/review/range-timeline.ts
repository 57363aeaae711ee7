/**
 * What the live range did to a team's day: the Docker engine going away and coming back (session-
 * wide, so on every team's timeline), the range reconciled afterwards, and the team's own live
 * hosts going down (stopped, unhealthy, over their disk limit) and being restored. Instructors need
 * these next to the team's actions: a slow response during an engine outage is not the team's fault.
 * The facts come from range health (`src/range/health/range-facts.ts`).
 */
import type { ScoringEvent } from '../scoring/scoring-events';
import type { TimelineItem } from './review-types';

type Item = Omit<TimelineItem, 'at' | 'seq' | 'team'>;

const secs = (ms: unknown) => (typeof ms === 'number' ? `${Math.round(ms / 100) / 10} s` : '?');

// biome-ignore lint/suspicious/noExplicitAny: range payloads are read field by field, defensively
function sessionWide(type: string, p: any): Item | undefined {
  switch (type) {
    case 'range.engine.lost':
      return { kind: 'outage', title: `Range engine unreachable: ${String(p.detail ?? '')}`.trim() };
    case 'range.engine.gave-up':
      return { kind: 'outage', title: `Range engine given up after ${p.attempts ?? '?'} retries` };
    case 'range.engine.restored':
      return { kind: 'restored', title: `Range engine back after ${secs(p.downMs)}` };
    case 'range.reconciled': {
      const failed = Array.isArray(p.failed) ? p.failed.length : 0;
      return {
        kind: 'restored',
        title: `Range reconciled: ${p.restarted ?? 0} restarted, ${p.recreated ?? 0} recreated, ${p.created ?? 0} created, ${failed} failed`,
      };
    }
    default:
      return undefined;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: as above
function teamScoped(type: string, p: any): Item | undefined {
  const host = String(p.host ?? '?');
  switch (type) {
    case 'range.host.state':
      return p.state === 'running'
        ? { kind: 'restored', title: `Live host ${host} running again` }
        : { kind: 'outage', title: `Live host ${host} ${String(p.state)}${p.detail ? `: ${p.detail}` : ''}` };
    case 'range.host.disk-limit':
      return { kind: 'outage', title: `Live host ${host} stopped at its disk limit` };
    case 'range.host.restored':
      return {
        kind: 'restored',
        title: `Live host ${host} restored by ${String(p.by ?? 'the controller')}${p.ok === false ? ' (failed)' : ''}`,
      };
    default:
      return undefined;
  }
}

export function rangeTimeline(team: string, events: readonly ScoringEvent[]): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (const e of events) {
    const type = String(e.type);
    if (!type.startsWith('range.')) continue;
    const item =
      e.team === null
        ? sessionWide(type, e.payload)
        : e.team === team
          ? teamScoped(type, e.payload)
          : undefined;
    if (item) out.push({ at: e.scenarioTime, seq: e.seq, team, ...item });
  }
  return out;
}
