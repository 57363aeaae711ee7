/**
 * The server's view of one session's event log. It follows the store (polling for events other
 * processes write, and at once after the server's own writes via `catchUp`), keeps the session
 * state folded, and hands every new batch of events to its listeners in sequence order.
 * Writes go through an `EventWriter`, so when a session runner lives in the same process its
 * `record` is used and the runner's own state sees the facts too.
 */
import { scenarioAt } from '../../engine/clock/exercise-clock';
import type { TimeSource } from '../../engine/clock/time-source';
import type { EngineEvent, StoredEvent } from '../../engine/events/event-types';
import { applyEvent, emptySession, type SessionState } from '../../engine/state/session-state';
import type { EventStore } from '../../engine/store/event-store';

/** Appends facts durably (the call returns only after the commit) and returns what was new. */
export type EventWriter = (events: EngineEvent[]) => StoredEvent[];

export type EventListener = (batch: readonly StoredEvent[]) => void;

export class ExerciseLog {
  readonly state: SessionState;
  private readonly listeners: EventListener[] = [];
  private readonly byTeam = new Map<string | null, StoredEvent[]>();
  private timer: NodeJS.Timeout | undefined;
  private catchingUp = false;

  constructor(
    private readonly store: EventStore,
    readonly session: string,
    private readonly time: TimeSource,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {
    this.state = emptySession(session);
  }

  /** Scenario seconds now, from the clock the log describes (0 before the exercise starts). */
  scenarioNow(): number {
    return Math.max(0, scenarioAt(this.state.clock, this.time.now()));
  }

  onEvents(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Events addressed to `team`, and session-wide ones, in sequence order. */
  eventsOf(team: string): StoredEvent[] {
    const own = this.byTeam.get(team) ?? [];
    const all = this.byTeam.get(null) ?? [];
    if (all.length === 0) return own;
    return [...own, ...all].sort((a, b) => a.seq - b.seq);
  }

  /** Reads what the store holds beyond what the log has seen and tells the listeners. */
  catchUp(): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (let round = 0; round < 1000; round++) {
        const batch = this.store.read(this.session, this.state.lastSeq);
        if (batch.length === 0) return;
        for (const e of batch) {
          applyEvent(this.state, e);
          let list = this.byTeam.get(e.team);
          if (!list) {
            list = [];
            this.byTeam.set(e.team, list);
          }
          list.push(e);
        }
        for (const l of this.listeners) {
          try {
            l(batch);
          } catch (e) {
            this.onError(e);
          }
        }
      }
    } finally {
      this.catchingUp = false;
    }
  }

  /** A writer that appends straight to the store, stamping the session clock, then catches up. */
  storeWriter(): EventWriter {
    return (events) => {
      const now = this.time.now();
      const scenarioTime = this.scenarioNow();
      const written = this.store.transaction(() =>
        events.flatMap((event) => {
          const r = this.store.append({ session: this.session, event, scenarioTime, wallTime: now });
          return r.duplicate ? [] : [r.event];
        }),
      );
      this.catchUp();
      return written;
    };
  }

  /** Polls the store every `ms` for events written by other processes. */
  follow(ms: number): void {
    this.stop();
    this.timer = setInterval(() => this.catchUp(), ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
