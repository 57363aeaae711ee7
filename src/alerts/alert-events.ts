/** Alerts as a team reads them: the `alert.raised` events of its log, newest last. */
import type { StoredEvent } from '../engine/events/event-types';
import type { AlertView } from '../wire/investigation';

export function alertView(e: StoredEvent): AlertView | undefined {
  if (e.type !== 'alert.raised') return undefined;
  const p = e.payload;
  return {
    seq: e.seq,
    rule: p.rule,
    title: p.title,
    severity: p.severity,
    ...(p.group !== undefined ? { group: p.group } : {}),
    count: p.count,
    firstMs: p.firstMs,
    lastMs: p.lastMs,
    samples: p.samples,
    scenarioTime: e.scenarioTime,
  };
}

export function alertsOf(events: readonly StoredEvent[]): AlertView[] {
  const out: AlertView[] = [];
  for (const e of events) {
    const a = alertView(e);
    if (a) out.push(a);
  }
  return out;
}
