/**
 * Response actions as `team.action` events, and back. The action name is the catalog's
 * (`host.isolate`…), the target sits flat in `detail` (`host`, `domain`, `ip`, `account`,
 * `process`) where scoring reads it, and `detail.input` / `detail.result` keep the whole request
 * and what it changed. An action whose effect failed is recorded as `action.failed` (so that
 * scoring neither credits nor penalises it); the controller's undo is `undo.<reverse action>`
 * with `detail.undoes` the id of the action it reverses.
 */
import type { EngineEvent, StoredEvent } from '../engine/events/event-types';
import type { ActionInput, ActionName, ActionResult, ActionView } from '../wire/actions';

export const FAILED_ACTION = 'action.failed';
export const UNDO_PREFIX = 'undo.';

/** The target fields of an input, flat, as scoring and the simulation read them. */
export function targetOf(input: ActionInput): Record<string, string> {
  const { action: _a, reason: _r, ...target } = input as ActionInput & { reason?: string };
  return Object.fromEntries(Object.entries(target).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}

/** One line naming what an action acts on (`pc-victim`, `update-check.example`). */
export function describeTarget(input: ActionInput): string {
  const t = targetOf(input);
  if (input.action === 'process.kill') return `${t.process} on ${t.host}`;
  if (input.action === 'evidence.collect') return `${t.kind}${t.path ? ` ${t.path}` : ''} on ${t.host}`;
  return Object.values(t).join(' ');
}

export function actionEvent(
  team: string,
  actor: string,
  input: ActionInput,
  result: ActionResult,
  key?: string,
  requested?: number,
): EngineEvent {
  return {
    type: 'team.action',
    team,
    ...(key ? { key } : {}),
    payload: {
      actor,
      action: result.ok ? input.action : FAILED_ACTION,
      detail: {
        ...targetOf(input),
        ...(result.ok ? {} : { attempted: input.action }),
        input,
        result,
        ...(requested !== undefined ? { requested } : {}),
      },
    },
  };
}

export function undoEvent(
  team: string,
  by: string,
  of: number,
  reverse: ActionInput,
  reason: string,
  result: ActionResult,
): EngineEvent {
  return {
    type: 'team.action',
    team,
    key: `undo/${team}/${of}`,
    payload: {
      actor: by,
      action: result.ok ? `${UNDO_PREFIX}${reverse.action}` : FAILED_ACTION,
      detail: { ...targetOf(reverse), input: reverse, result, undoes: of, reason },
    },
  };
}

/** The action that reverses `input`; undefined when it cannot be undone (kill, restore, evidence). */
export function reverseOf(input: ActionInput): ActionInput | undefined {
  const reverse: Partial<Record<ActionName, ActionName>> = {
    'host.isolate': 'host.release',
    'host.release': 'host.isolate',
    'proxy.block': 'proxy.unblock',
    'proxy.unblock': 'proxy.block',
    'firewall.block': 'firewall.unblock',
    'firewall.unblock': 'firewall.block',
    'account.disable': 'account.enable',
    'account.enable': 'account.disable',
  };
  const name = reverse[input.action];
  if (!name) return undefined;
  return { ...targetOf(input), action: name } as ActionInput;
}

interface ActionDetail {
  input?: ActionInput;
  result?: ActionResult;
  undoes?: number;
  reason?: string;
  /** Seq of the `action.requested` intent written before a live host was touched. */
  requested?: number;
}

/** Type of the intent written before acting on a live host (not a `team.action`: scoring ignores it). */
export const ACTION_REQUESTED = 'action.requested';

/**
 * The intent to act on a live host, written durably before the container is touched: if the
 * orchestrator dies before the outcome is recorded, the log still says an action may have
 * changed the host, and the action list shows it with an unknown outcome instead of nothing.
 */
export function intentEvent(team: string, actor: string, input: ActionInput): EngineEvent {
  return { type: ACTION_REQUESTED, team, payload: { actor, input } } as unknown as EngineEvent;
}

const UNKNOWN_OUTCOME: ActionResult = {
  ok: false,
  changed:
    'outcome unknown: the orchestrator stopped while acting on this live host — check the host, then repeat the action or ask the controller',
  fidelity: 'live',
};

/** Every action of `team` with its undo, in log order. */
export function actionViews(events: readonly StoredEvent[], team: string): ActionView[] {
  const views = new Map<number, ActionView>();
  const intents = new Map<number, StoredEvent>();
  for (const e of events) {
    if (e.team !== team) continue;
    if ((e.type as string) === ACTION_REQUESTED) {
      intents.set(e.seq, e);
      continue;
    }
    if (e.type !== 'team.action') continue;
    const d = e.payload.detail as ActionDetail;
    if (typeof d.requested === 'number') intents.delete(d.requested);
    if (!d.input || !d.result) continue; // written by another tool
    if (typeof d.undoes === 'number') {
      const v = views.get(d.undoes);
      if (v && d.result.ok) {
        v.undone = {
          id: e.seq,
          by: e.payload.actor,
          reason: d.reason ?? '',
          scenarioTime: e.scenarioTime,
          result: d.result,
        };
      }
      continue;
    }
    views.set(e.seq, {
      id: e.seq,
      team,
      actor: e.payload.actor,
      action: d.input.action,
      input: d.input,
      result: d.result,
      scenarioTime: e.scenarioTime,
      wallTime: e.wallTime,
    });
  }
  for (const e of intents.values()) {
    const p = e.payload as unknown as { actor: string; input: ActionInput };
    views.set(e.seq, {
      id: e.seq,
      team,
      actor: p.actor,
      action: p.input.action,
      input: p.input,
      result: UNKNOWN_OUTCOME,
      scenarioTime: e.scenarioTime,
      wallTime: e.wallTime,
    });
  }
  return [...views.values()].sort((a, b) => a.id - b.id);
}
