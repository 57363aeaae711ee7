/**
 * Live actions write their intent before touching a container. An intent whose outcome was never
 * recorded (the orchestrator died mid-action) shows as an action with an unknown outcome; one
 * with its outcome recorded disappears into that action.
 */
import type { StoredEvent } from '../../src/engine/events/event-types';
import { actionEvent, actionViews, intentEvent } from '../../src/response/action-events';
import type { ActionInput } from '../../src/wire/actions';

const isolate = { action: 'host.isolate', host: 'pc-victim' } as unknown as ActionInput;

function stored(seq: number, e: ReturnType<typeof intentEvent>): StoredEvent {
  return { ...e, session: 's', seq, scenarioTime: seq * 10, wallTime: 1_000 + seq } as StoredEvent;
}

describe('action intents', () => {
  it('an intent with its outcome recorded is one action, not two', () => {
    const events = [
      stored(1, intentEvent('t01', 'alice', isolate)),
      stored(
        2,
        actionEvent(
          't01',
          'alice',
          isolate,
          { ok: true, changed: 'cut off', fidelity: 'live' },
          undefined,
          1,
        ),
      ),
    ];
    const views = actionViews(events, 't01');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id: 2, action: 'host.isolate', result: { ok: true } });
  });

  it('an intent without an outcome shows as an action whose outcome is unknown', () => {
    const views = actionViews([stored(5, intentEvent('t01', 'bob', isolate))], 't01');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id: 5, actor: 'bob', action: 'host.isolate', result: { ok: false } });
    expect(views[0]!.result.changed).toMatch(/outcome unknown/);
  });

  it("another team's intent is never shown", () => {
    expect(actionViews([stored(5, intentEvent('t02', 'eve', isolate))], 't01')).toEqual([]);
  });
});
