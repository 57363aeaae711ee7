import {
  type ClockState,
  changeSpeed,
  initialClock,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
} from '../clock/exercise-clock';
import type { EventPayloads, StoredEvent } from '../events/event-types';

/**
 * The state of a session is a fold over its events. `foldEvents` is pure (same events, same
 * state); `applyEvent` is its step, which mutates the state it is given so that a running session
 * can keep one state up to date in O(1) per event instead of refolding the log.
 */

export type OccurrenceStatus = 'fired' | 'succeeded' | 'failed' | 'skipped';

export interface OccurrenceState {
  status: OccurrenceStatus;
  /** Scenario seconds the occurrence fired or was skipped. */
  at: number;
  /** Scenario seconds the outcome (success/failure) was recorded. */
  outcomeAt?: number;
  trackable?: string;
  /** Sequence number of the `inject.fired` event (firing order, for cleanup in reverse). */
  firedSeq?: number;
}

export interface ManualRequest {
  inject: string;
  /** `m<seq>` of the controller event, so every request fires at most once. */
  occurrence: string;
  at: number;
  wall: number;
}

export interface TeamState {
  id: string;
  name: string;
  /** inject id → occurrence key → state. */
  occurrences: Map<string, Map<string, OccurrenceState>>;
  expectations: Map<string, 'met' | 'failed'>;
  manualRequests: ManualRequest[];
  /** Injects the controller skipped: nothing more of them fires for this team. */
  cancelled: Set<string>;
  score: number;
  messages: number;
}

export interface SessionState {
  id: string;
  created?: EventPayloads['session.created'];
  clock: ClockState;
  teams: Map<string, TeamState>;
  lastSeq: number;
}

export function emptySession(id: string): SessionState {
  return { id, clock: initialClock(1), teams: new Map(), lastSeq: 0 };
}

export function foldEvents(id: string, events: readonly StoredEvent[]): SessionState {
  const state = emptySession(id);
  for (const e of events) applyEvent(state, e);
  return state;
}

export function occurrence(team: TeamState, inject: string, occ: string): OccurrenceState | undefined {
  return team.occurrences.get(inject)?.get(occ);
}

function teamOf(state: SessionState, id: string): TeamState {
  let team = state.teams.get(id);
  if (!team) {
    team = {
      id,
      name: id,
      occurrences: new Map(),
      expectations: new Map(),
      manualRequests: [],
      cancelled: new Set(),
      score: 0,
      messages: 0,
    };
    state.teams.set(id, team);
  }
  return team;
}

function setOccurrence(team: TeamState, inject: string, occ: string, value: OccurrenceState): void {
  let byOcc = team.occurrences.get(inject);
  if (!byOcc) {
    byOcc = new Map();
    team.occurrences.set(inject, byOcc);
  }
  byOcc.set(occ, value);
}

/** Teams an event addresses: its own, or every team when it is session-wide. */
function targets(state: SessionState, e: StoredEvent): TeamState[] {
  return e.team === null ? [...state.teams.values()] : [teamOf(state, e.team)];
}

export function applyEvent(state: SessionState, e: StoredEvent): SessionState {
  state.lastSeq = e.seq;
  switch (e.type) {
    case 'session.created':
      state.created = e.payload;
      state.clock = initialClock(e.payload.compression);
      for (const t of e.payload.teams) teamOf(state, t);
      break;
    case 'team.joined':
      if (e.team) teamOf(state, e.team).name = e.payload.name;
      break;
    case 'clock.started':
      state.clock = startClock(state.clock, e.wallTime, e.payload.compression);
      break;
    case 'clock.paused':
      state.clock = pauseClock(state.clock, e.wallTime);
      break;
    case 'clock.resumed':
      state.clock = resumeClock(state.clock, e.wallTime);
      break;
    case 'clock.speed-changed':
      state.clock = changeSpeed(state.clock, e.wallTime, e.payload.compression);
      break;
    case 'clock.stopped':
      state.clock = stopClock(state.clock, e.wallTime);
      break;
    case 'inject.fired':
      for (const t of targets(state, e)) {
        setOccurrence(t, e.payload.inject, e.payload.occurrence, {
          status: 'fired',
          at: e.scenarioTime,
          trackable: e.payload.trackable,
          firedSeq: e.seq,
        });
      }
      break;
    case 'inject.succeeded':
    case 'inject.failed':
      for (const t of targets(state, e)) {
        const prev = occurrence(t, e.payload.inject, e.payload.occurrence);
        setOccurrence(t, e.payload.inject, e.payload.occurrence, {
          ...(prev ?? { at: e.scenarioTime }),
          status: e.type === 'inject.succeeded' ? 'succeeded' : 'failed',
          outcomeAt: e.scenarioTime,
        });
      }
      break;
    case 'inject.skipped':
      for (const t of targets(state, e)) {
        setOccurrence(t, e.payload.inject, e.payload.occurrence, { status: 'skipped', at: e.scenarioTime });
      }
      break;
    case 'expectation.resolved':
      for (const t of targets(state, e)) t.expectations.set(e.payload.expectation, e.payload.result);
      break;
    case 'score.changed':
      for (const t of targets(state, e)) t.score += e.payload.delta;
      break;
    case 'message.delivered':
      for (const t of targets(state, e)) t.messages++;
      break;
    case 'controller.override': {
      const { action, inject } = e.payload;
      if (!inject) break;
      for (const t of targets(state, e)) {
        if (action === 'fire') {
          t.manualRequests.push({ inject, occurrence: `m${e.seq}`, at: e.scenarioTime, wall: e.wallTime });
        } else if (action === 'skip') {
          t.cancelled.add(inject);
        }
      }
      break;
    }
    default:
      // Other facts (attack steps, team actions, reports, telemetry) do not change scheduling state.
      break;
  }
  return state;
}
