import { scenarioAt } from '../clock/exercise-clock';
import type { TimeSource } from '../clock/time-source';
import type { EngineEvent, StoredEvent } from '../events/event-types';
import { applyEvent, foldEvents, type SessionState } from '../state/session-state';
import type { EventStore } from '../store/event-store';

/**
 * One session's durable write path: events are appended with both clocks in a transaction, applied
 * to the folded state, and acknowledged (`onEvent`) only once the outermost transaction has
 * committed. The state is always `foldEvents` of what the log holds; a failed batch refolds it.
 */
export class SessionLog {
  private st: SessionState;
  private depth = 0;
  private pending: StoredEvent[] = [];

  constructor(
    readonly store: EventStore,
    readonly session: string,
    private readonly time: TimeSource,
    private readonly onEvent: ((e: StoredEvent) => void) | undefined,
    /** Called after every commit (the timer loop wakes on it). */
    private readonly onCommit: () => void,
  ) {
    this.st = foldEvents(session, store.read(session));
  }

  get state(): SessionState {
    return this.st;
  }

  hasKey(key: string): boolean {
    return this.store.hasKey(key);
  }

  /**
   * Applies events other writers appended since the last one this log knows (the server recording
   * a team's report, scoring resolving an expectation), so decisions see them. Cheap: one indexed
   * read of nothing, usually.
   */
  catchUp(): void {
    for (const e of this.store.read(this.session, this.st.lastSeq)) {
      applyEvent(this.st, e);
      this.pending.push(e);
    }
    if (this.depth === 0) this.flush();
  }

  /** Runs `fn` as one transaction (one fsync); its events are acknowledged after the commit. */
  batch<T>(fn: () => T): T {
    this.depth++;
    let result: T;
    try {
      result = this.store.transaction(() => {
        if (this.depth === 1) this.catchUp();
        return fn();
      });
    } catch (e) {
      if (this.depth === 1) {
        this.pending = [];
        this.st = foldEvents(this.session, this.store.read(this.session));
      }
      throw e;
    } finally {
      this.depth--;
    }
    if (this.depth === 0) this.flush();
    return result;
  }

  private flush(): void {
    const acks = this.pending;
    this.pending = [];
    for (const e of acks) this.onEvent?.(e);
    if (acks.length > 0) this.onCommit();
  }

  /** Appends events (inside the current batch, if any); a keyed duplicate is skipped silently. */
  write(events: EngineEvent[]): StoredEvent[] {
    return this.batch(() => {
      const now = this.time.now();
      const scenarioTime = scenarioAt(this.st.clock, now);
      const written: StoredEvent[] = [];
      for (const event of events) {
        const r = this.store.append({ session: this.session, event, scenarioTime, wallTime: now });
        if (r.duplicate) continue;
        applyEvent(this.st, r.event);
        written.push(r.event);
        this.pending.push(r.event);
      }
      return written;
    });
  }
}
