/**
 * Response actions pushed live: every `team.action` (an action, or the controller's undo of one)
 * reaches the acting team and the white cell as `team:action` with the action's current view, so
 * a console shows what changed — and what the white cell reversed — without polling.
 */
import { actionViews } from '../../response/action-events';
import type { ExerciseLog } from '../exercise/exercise-log';
import { rooms } from './rooms';
import type { CyrangeIo } from './types';

export function pushActions(io: CyrangeIo, log: ExerciseLog): void {
  log.onEvents((batch) => {
    for (const e of batch) {
      if (e.type !== 'team.action' || e.team === null) continue;
      const undoes = (e.payload.detail as { undoes?: unknown }).undoes;
      const id = typeof undoes === 'number' ? undoes : e.seq;
      const view = actionViews(log.eventsOf(e.team), e.team).find((a) => a.id === id);
      if (!view) continue;
      io.to(rooms.team(log.session, e.team))
        .to(rooms.role(log.session, 'controller'))
        .to(rooms.role(log.session, 'evaluator'))
        .emit('team:action', view);
    }
  });
}
