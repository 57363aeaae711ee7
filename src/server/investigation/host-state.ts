/**
 * A host's state as the team's own actions left it: the last containment action naming the host
 * wins (`isolate…` → isolated, `restore…`/`release…`/`unisolate…` → restored). Actions are
 * `team.action` events written by the response actions; nothing here changes a host.
 */
import type { StoredEvent } from '../../engine/events/event-types';
import type { HostState } from '../../wire/investigation';

export function hostStates(events: readonly StoredEvent[]): Map<string, HostState> {
  const out = new Map<string, HostState>();
  for (const e of events) {
    if (e.type !== 'team.action') continue;
    const host = e.payload.detail?.host;
    if (typeof host !== 'string') continue;
    const action = e.payload.action;
    if (/^(unisolate|release|restore)/.test(action)) out.set(host, 'restored');
    else if (/^isolate/.test(action)) out.set(host, 'isolated');
  }
  return out;
}
