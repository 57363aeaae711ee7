/**
 * A team's response actions: validate the target against the team's own range, act (on the live
 * container, or nothing more for a simulated host — the simulation folds the event), then record
 * the action durably as a `team.action` event before anyone is answered. The controller undoes
 * an action with its reverse (an `undo.` event), acted and recorded the same way. Actions of one
 * team run one at a time, so an undo never races the action it reverses.
 */
import type { Plan } from '../compiler/plan';
import type { EngineEvent, StoredEvent } from '../engine/events/event-types';
import type { LiveHostDriver } from '../engine/live/live-host-driver';
import type { ActionInput, ActionResult, ActionView } from '../wire/actions';
import { actionEvent, actionViews, describeTarget, intentEvent, reverseOf, undoEvent } from './action-events';
import { ActionRefused, resolveTargets } from './action-targets';
import { LiveActions } from './live-actions';
import type { HostRestorer } from './live-restore';
import { simulatedResult } from './simulated-actions';

export interface ResponseActionsDeps {
  plan: Plan;
  session: string;
  /** Appends facts durably; returns the stored events (empty for a duplicate key). */
  write: (events: EngineEvent[]) => StoredEvent[];
  /** The team's events (its own and session-wide), in log order. */
  events: (team: string) => readonly StoredEvent[];
  /** The live range's driver; without it every host is simulated. */
  driver?: LiveHostDriver;
  /** Recreates a live host from its image (the range lifecycle); without it live restores are refused. */
  restore?: HostRestorer;
  /** A unique id for idempotency keys of live commands. */
  nonce?: () => string;
}

export class ResponseActions {
  private readonly live: LiveActions | undefined;
  private readonly queues = new Map<string, Promise<unknown>>();
  private counter = 0;

  constructor(private readonly deps: ResponseActionsDeps) {
    this.live = deps.driver ? new LiveActions(deps.driver, deps.plan) : undefined;
  }

  list(team: string): ActionView[] {
    return actionViews(this.deps.events(team), team);
  }

  /** Acts for `team` and records the action; resolves once the event is durable. */
  act(team: string, actor: string, raw: ActionInput): Promise<ActionView> {
    return this.serial(team, async () => {
      const input = resolveTargets(this.deps.plan, team, raw);
      // Intent first for live hosts: a crash mid-action leaves a trace instead of a silent change.
      const intent = this.live?.isLive(team, input)
        ? this.deps.write([intentEvent(team, actor, input)])[0]?.seq
        : undefined;
      const result = await this.perform(team, input);
      const [written] = this.deps.write([actionEvent(team, actor, input, result, undefined, intent)]);
      return this.viewOf(team, written);
    });
  }

  /** The controller reverses action `id` of `team`, with a reason. */
  undo(team: string, id: number, by: string, reason: string): Promise<ActionView> {
    return this.serial(team, async () => {
      const action = this.list(team).find((a) => a.id === id);
      if (!action) throw new ActionRefused('not_found', `team ${team} has no action ${id}`, 'params.id');
      if (action.undone) {
        throw new ActionRefused('conflict', `action ${id} was already undone (action ${action.undone.id})`);
      }
      if (!action.result.ok)
        throw new ActionRefused('conflict', `action ${id} failed: there is nothing to undo`);
      const reverse = reverseOf(action.input);
      if (!reverse) {
        throw new ActionRefused(
          'conflict',
          `${action.action} cannot be undone — ${action.action === 'host.restore' ? 'the old container is gone' : 'what it did is done'}`,
        );
      }
      const result = await this.perform(team, reverse);
      this.deps.write([undoEvent(team, by, id, reverse, reason, result)]);
      const after = this.list(team).find((a) => a.id === id);
      if (!after) throw new Error(`action ${id} vanished from the log`);
      if (!result.ok) throw new ActionRefused('conflict', `undo of action ${id} failed: ${result.changed}`);
      return after;
    });
  }

  private async perform(team: string, input: ActionInput): Promise<ActionResult> {
    if (this.live?.isLive(team, input)) {
      if (input.action === 'host.restore' && this.deps.restore) {
        try {
          const r = await this.deps.restore(team, input.host);
          return { ok: r.ok, changed: r.detail, fidelity: 'live' };
        } catch (e) {
          return {
            ok: false,
            changed: `restoring ${input.host} failed: ${(e as Error).message}`,
            fidelity: 'live',
          };
        }
      }
      const nonce = this.deps.nonce?.() ?? `${Date.now()}-${++this.counter}`;
      try {
        return await this.live.run(team, input, `${this.deps.session}/${team}/action/${nonce}`);
      } catch (e) {
        return {
          ok: false,
          changed: `${input.action} ${describeTarget(input)} failed: ${(e as Error).message}`,
          fidelity: 'live',
        };
      }
    }
    return simulatedResult(input);
  }

  private viewOf(team: string, written: StoredEvent | undefined): ActionView {
    const view = written && this.list(team).find((a) => a.id === written.seq);
    if (!view) throw new Error('action written but not found in the log');
    return view;
  }

  private serial<T>(team: string, job: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(team) ?? Promise.resolve();
    const next = prev.then(job, job);
    this.queues.set(
      team,
      next.catch(() => undefined),
    );
    return next;
  }
}
