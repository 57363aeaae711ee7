/**
 * A session's events for the response monitor, read incrementally: each call reads only what
 * was appended since the last one, so judging every second costs the new events, not the log.
 */
import type { StoredEvent } from '../engine/events/event-types';
import type { EventStore } from '../engine/store/event-store';

export function followLog(store: EventStore, session: string): (team: string) => readonly StoredEvent[] {
  const all: StoredEvent[] = [];
  const byTeam = new Map<string, StoredEvent[]>();
  let readTo = 0;
  return (team) => {
    const fresh = store.read(session, readTo);
    for (const e of fresh) {
      all.push(e);
      if (e.team === null) {
        for (const list of byTeam.values()) list.push(e);
      } else {
        byTeam.get(e.team)?.push(e);
      }
    }
    if (fresh.length) readTo = fresh[fresh.length - 1]!.seq;
    let list = byTeam.get(team);
    if (!list) {
      list = all.filter((e) => e.team === team || e.team === null);
      byTeam.set(team, list);
    }
    return list;
  };
}
