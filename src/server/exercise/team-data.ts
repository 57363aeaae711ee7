/**
 * What a team may see of the log, as wire views: its inbox (messages injects delivered), its
 * reports, and its own activity. Ground truth (attack steps, trackables, controller notes) never
 * reaches a team; the white cell sees every event of the team.
 */
import { isEvent, type StoredEvent } from '../../engine/events/event-types';
import { reportFromEvent } from '../../scoring/incident-report';
import type { SubmittedReport } from '../../wire/report';
import type { InboxMessage, TeamEvent } from '../../wire/views';

/** Event types a team sees in its own feed. */
export const TEAM_VISIBLE: ReadonlySet<string> = new Set([
  'message.delivered',
  'team.action',
  'report.submitted',
]);

export function inboxMessage(e: StoredEvent): InboxMessage | undefined {
  if (!isEvent(e, 'message.delivered')) return undefined;
  const p = e.payload;
  return {
    id: e.seq,
    inject: p.inject,
    from: p.from,
    sender: p.sender,
    subject: p.subject,
    body: p.body,
    attachments: p.attachments.map((a) => ({
      name: a.name,
      contentType: a.contentType,
      size: Buffer.byteLength(a.content, 'utf8'),
    })),
    scenarioTime: e.scenarioTime,
    wallTime: e.wallTime,
  };
}

export function inbox(events: readonly StoredEvent[]): InboxMessage[] {
  return events.flatMap((e) => {
    const m = inboxMessage(e);
    return m ? [m] : [];
  });
}

export function attachment(
  events: readonly StoredEvent[],
  id: number,
  index: number,
): { name: string; contentType: string; content: string } | undefined {
  const e = events.find((x) => x.seq === id);
  if (!e || !isEvent(e, 'message.delivered')) return undefined;
  return e.payload.attachments[index];
}

export function reports(events: readonly StoredEvent[], team: string): SubmittedReport[] {
  return events.flatMap((e) => {
    if (!isEvent(e, 'report.submitted') || e.team !== team) return [];
    const r = reportFromEvent(e.payload);
    let title = '';
    try {
      const parsed = JSON.parse(e.payload.body) as { title?: unknown };
      if (typeof parsed.title === 'string') title = parsed.title;
    } catch {
      // a report written by another tool: its body is the narrative
    }
    return [
      {
        id: e.seq,
        team,
        actor: r.actor,
        kind: r.kind as SubmittedReport['kind'],
        ...(r.to ? { to: r.to as SubmittedReport['to'] } : {}),
        title,
        hosts: r.hosts,
        accounts: r.accounts,
        indicators: r.indicators,
        techniques: r.techniques,
        timeline: r.timeline,
        narrative: r.narrative,
        scenarioTime: e.scenarioTime,
        wallTime: e.wallTime,
      },
    ];
  });
}

export function teamFeed(
  events: readonly StoredEvent[],
  staff: boolean,
  after: number,
  limit: number,
): TeamEvent[] {
  const out: TeamEvent[] = [];
  for (const e of events) {
    if (e.seq <= after || (!staff && !TEAM_VISIBLE.has(e.type))) continue;
    out.push({
      seq: e.seq,
      type: e.type,
      team: e.team,
      scenarioTime: e.scenarioTime,
      wallTime: e.wallTime,
      payload: e.payload,
    });
    if (out.length >= limit) break;
  }
  return out;
}
