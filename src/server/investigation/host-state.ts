/**
 * A host's state as the team's own response actions left it: the last containment action naming
 * the host wins — `host.isolate` → isolated, `host.release` → up, `host.restore` → restored
 * (a controller's `undo.<reverse>` counts as that reverse; failed actions, `action.failed`,
 * change nothing). Actions are `team.action` events written by src/response; nothing here
 * changes a host.
 */
import type { StoredEvent } from '../../engine/events/event-types';
import type { HostState } from '../../wire/investigation';

const STATE_OF: Record<string, HostState> = {
  'host.isolate': 'isolated',
  isolate: 'isolated',
  'host.release': 'up',
  'host.restore': 'restored',
};

export function hostStates(events: readonly StoredEvent[]): Map<string, HostState> {
  const out = new Map<string, HostState>();
  for (const e of events) {
    if (e.type !== 'team.action') continue;
    const host = e.payload.detail?.host;
    if (typeof host !== 'string') continue;
    const state = STATE_OF[e.payload.action.replace(/^undo\./, '')];
    if (state) out.set(host, state);
  }
  return out;
}
