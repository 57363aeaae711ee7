/** Host state follows the team's last containment action on the host, undo included. */
import type { StoredEvent } from '../../src/engine/events/event-types';
import { hostStates } from '../../src/server/investigation/host-state';

let seq = 0;
const act = (action: string, host: string): StoredEvent => ({
  session: 's',
  seq: ++seq,
  scenarioTime: seq,
  wallTime: seq,
  team: 't01',
  type: 'team.action',
  payload: { actor: 'alice', action, detail: { host } },
});

it('isolates, releases, restores, follows undo and ignores failures', () => {
  const s = hostStates([
    act('host.isolate', 'pc-victim'),
    act('host.isolate', 'dc'),
    act('undo.host.release', 'dc'),
    act('host.restore', 'fs01'),
    act('action.failed', 'pc-pol-001'),
  ]);
  expect(Object.fromEntries(s)).toEqual({ 'pc-victim': 'isolated', dc: 'up', fs01: 'restored' });
});
