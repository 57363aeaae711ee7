/**
 * The facts range health writes to the exercise log, and the console line for each. Range facts
 * are not engine event types (src/engine/events/event-types.ts) yet; they are stored with the same
 * shape, so the controller's feed shows them, and typed here in one place.
 */

import type { EngineHealth, HostHealth, ReconcileSummary } from '../../wire/range-health';
import type { UpResult } from '../lifecycle/range-up';
import type { WatchEvent } from './engine-watch';

export interface RangeFact {
  type:
    | 'range.engine.lost'
    | 'range.engine.restored'
    | 'range.engine.gave-up'
    | 'range.reconciled'
    | 'range.host.state'
    | 'range.host.disk-limit';
  team: string | null;
  payload: Record<string, unknown>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The engine's state after a watch event, what to say on the console, and what to log. */
export function engineAfter(
  engine: EngineHealth,
  e: WatchEvent,
): { engine: EngineHealth; line: string; fact?: RangeFact } {
  const where = engine.where;
  switch (e.type) {
    case 'lost':
      return {
        engine: {
          ...engine,
          state: 'unreachable',
          since: e.since,
          detail: e.detail,
          outages: engine.outages + 1,
        },
        line: `the Docker engine (${where}) is unreachable since ${iso(e.since)}: ${e.detail} — reconnecting`,
        fact: { type: 'range.engine.lost', team: null, payload: { where, since: e.since, detail: e.detail } },
      };
    case 'retry':
      return {
        engine: { ...engine, detail: `retry ${e.attempt} in ${e.nextInMs} ms: ${e.detail}` },
        line: `engine still unreachable (${e.detail}); retry ${e.attempt} in ${e.nextInMs} ms`,
      };
    case 'gave-up':
      return {
        engine: { ...engine, state: 'given-up', since: e.at, detail: `gave up after ${e.attempts} retries` },
        line: `gave up on the engine after ${e.attempts} retries over ${e.downMs} ms — fix it, then restart serve`,
        fact: {
          type: 'range.engine.gave-up',
          team: null,
          payload: { where, attempts: e.attempts, downMs: e.downMs },
        },
      };
    case 'restored':
      return {
        engine: { ...engine, state: 'connected', since: e.at, detail: `back after ${e.downMs} ms` },
        line: `the Docker engine answers again after ${e.downMs} ms (${e.attempts} retries); reconciling the range`,
        fact: {
          type: 'range.engine.restored',
          team: null,
          payload: { where, downMs: e.downMs, attempts: e.attempts },
        },
      };
  }
}

export function reconcileSummary(up: UpResult, startedMs: number, nowMs: number): ReconcileSummary {
  const { created, recreated, restarted, removed, kept, failed } = up;
  return { at: nowMs, created, recreated, restarted, removed, kept, failed, ms: nowMs - startedMs };
}

export function reconciledLine(s: ReconcileSummary): string {
  return `range reconciled in ${s.ms} ms: ${s.created} created, ${s.recreated} recreated, ${s.restarted} restarted, ${s.removed} removed, ${s.kept} kept, ${s.failed.length} failed`;
}

export function hostStateFact(h: HostHealth, was: HostHealth['state'] | 'unknown'): RangeFact {
  return {
    type: 'range.host.state',
    team: h.team,
    payload: { host: h.host, state: h.state, was, detail: h.detail },
  };
}
