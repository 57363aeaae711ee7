/**
 * A team's structured incident report, as scoring reads it. The engine's `report.submitted`
 * event carries `kind`, `body` and `indicators`; until it carries the structured fields itself,
 * a JSON object in `body` supplies them (see the proposal in docs/SCORING.md).
 */
import type { EventPayloads } from '../engine/events/event-types';

export interface TimelineEntry {
  /** Scenario time or clock text as the team wrote it. */
  at: string;
  text: string;
}

export interface IncidentReport {
  actor: string;
  /** `incident`, `escalation` or `situation` (any other text is kept as written). */
  kind: string;
  /** Escalation target (`csirt`, `management`, `vendor`…), when the report is addressed. */
  to?: string;
  /** The team's own title for it, when they gave one. */
  title?: string;
  hosts: string[];
  accounts: string[];
  indicators: string[];
  techniques: string[];
  timeline: TimelineEntry[];
  narrative: string;
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

function timeline(value: unknown): TimelineEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) =>
    v && typeof v === 'object' && typeof (v as TimelineEntry).text === 'string'
      ? [{ at: String((v as TimelineEntry).at ?? ''), text: (v as TimelineEntry).text }]
      : [],
  );
}

function structured(body: string): Record<string, unknown> | undefined {
  const text = body.trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Read a submitted report; a body that is not a JSON object is the narrative. */
export function reportFromEvent(payload: EventPayloads['report.submitted']): IncidentReport {
  const fields = structured(payload.body);
  const to = fields?.to;
  const title = typeof fields?.title === 'string' ? fields.title.trim() : '';
  return {
    actor: payload.actor,
    kind: payload.kind.trim().toLowerCase(),
    ...(typeof to === 'string' && to.trim() !== '' ? { to: to.trim().toLowerCase() } : {}),
    ...(title ? { title } : {}),
    hosts: strings(fields?.hosts),
    accounts: strings(fields?.accounts),
    indicators: [...new Set([...strings(payload.indicators), ...strings(fields?.indicators)])],
    techniques: strings(fields?.techniques),
    timeline: timeline(fields?.timeline),
    narrative: fields ? (typeof fields.narrative === 'string' ? fields.narrative : '') : payload.body,
  };
}
