import type { Plan } from '../../compiler/plan';
import { systemTime, type TimeSource } from '../clock/time-source';
import type { EventStore } from '../store/event-store';

export interface CreateSessionInput {
  id: string;
  plan: Plan;
  /** Unix ms of scenario T+0 (see `scenarioEpochMs` in clock/scenario-epoch.ts). */
  scenarioEpochMs: number;
  compression?: number;
  seed?: number;
}

/**
 * Writes a new session into the store: its plan, `session.created` and one `team.joined` per team,
 * atomically. Idempotent by id: creating a session that exists changes nothing.
 */
export function createSession(
  store: EventStore,
  input: CreateSessionInput,
  time: TimeSource = systemTime,
): void {
  const { id, plan } = input;
  const now = time.now();
  store.transaction(() => {
    store.createSession(id, plan, now);
    store.append({
      session: id,
      scenarioTime: 0,
      wallTime: now,
      event: {
        type: 'session.created',
        team: null,
        key: `${id}/created`,
        payload: {
          scenario: plan.scenario.id,
          title: plan.scenario.title,
          teams: plan.teams.map((t) => t.id),
          scenarioEpochMs: input.scenarioEpochMs,
          compression: input.compression ?? plan.scenario.compression,
          seed: input.seed ?? plan.scenario.seed,
        },
      },
    });
    for (const t of plan.teams) {
      store.append({
        session: id,
        scenarioTime: 0,
        wallTime: now,
        event: {
          type: 'team.joined',
          team: t.id,
          key: `${id}/team/${t.id}`,
          payload: { name: t.name, members: [] },
        },
      });
    }
  });
}
