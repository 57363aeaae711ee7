/**
 * Range health pushed live: `range:health` to the controller and evaluators when a host or the
 * engine changes, when a team isolates or releases a host (the counts change), and on connect.
 */
import type { Plan } from '../../compiler/plan';
import type { RangeHealthSource } from '../../range/health/health-source';
import { isStaff } from '../../wire/roles';
import type { ExerciseLog } from '../exercise/exercise-log';
import { rangeHealthView } from './range-health-view';
import { rooms } from './rooms';
import type { CyrangeIo } from './types';

export function pushRangeHealth(
  io: CyrangeIo,
  log: ExerciseLog,
  plan: Plan,
  source: RangeHealthSource | undefined,
): () => void {
  const view = () => rangeHealthView(plan, (t) => log.eventsOf(t), source?.snapshot());
  const send = () =>
    io
      .to(rooms.role(log.session, 'controller'))
      .to(rooms.role(log.session, 'evaluator'))
      .emit('range:health', view());
  const unsubscribe = source?.onChange(send);
  log.onEvents((batch) => {
    if (batch.some((e) => e.type === 'team.action')) send();
  });
  io.on('connection', (socket) => {
    if (isStaff(socket.data.principal.role)) socket.emit('range:health', view());
  });
  return () => unsubscribe?.();
}
