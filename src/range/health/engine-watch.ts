/**
 * Notices the Docker engine going away and coming back. Pings every `pingEveryMs`; after
 * `failuresToLose` failed pings in a row the engine is `unreachable` (since the first failure) and
 * the watch retries with exponential backoff (`backoffBaseMs` doubling up to `backoffMaxMs`),
 * reporting every attempt. The first answer after that is `restored`, handed to the listener
 * before the next ping (the listener reconciles the range, so nothing else pings meanwhile).
 * Bounded: after `maxAttempts` failed retries the watch gives up (`given-up`) and stops.
 * One tick in flight at a time; `poke()` runs one now (e.g. when the event stream ended).
 */
import { logger } from '../common/logger';

const log = logger('engine-watch');

export type WatchState = 'connected' | 'unreachable' | 'given-up';

export type WatchEvent =
  | { type: 'lost'; since: number; detail: string }
  | { type: 'retry'; attempt: number; nextInMs: number; detail: string }
  | { type: 'restored'; at: number; downMs: number; attempts: number }
  | { type: 'gave-up'; at: number; downMs: number; attempts: number };

export interface EngineWatchOptions {
  pingEveryMs?: number;
  failuresToLose?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Failed retries after the loss before giving up (default 720: an hour at the 5 s cap). */
  maxAttempts?: number;
  now?: () => number;
}

export class EngineWatch {
  private current: WatchState = 'connected';
  private failures = 0;
  private attempts = 0;
  private lostSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = true;
  private readonly now: () => number;

  constructor(
    private readonly ping: () => Promise<void>,
    private readonly listener: (event: WatchEvent) => void | Promise<void>,
    private readonly options: EngineWatchOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  get state(): WatchState {
    return this.current;
  }

  /** Wall ms of the first failed ping of the current outage (0 when connected). */
  get since(): number {
    return this.current === 'connected' ? 0 : this.lostSince;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** Pings now instead of at the next tick (no-op while a tick runs or after stop). */
  poke(): void {
    if (this.stopped || this.ticking) return;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
      });
    }, ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    const every = this.options.pingEveryMs ?? 1000;
    let error: Error | undefined;
    const startedAt = this.now();
    try {
      await this.ping();
    } catch (e) {
      error = e as Error;
    }
    if (this.stopped) return;
    if (!error) {
      if (this.current === 'unreachable') {
        const downMs = this.now() - this.lostSince;
        const attempts = this.attempts;
        this.current = 'connected';
        log.info(`engine answers again after ${downMs} ms and ${attempts} retries`);
        await this.tell({ type: 'restored', at: this.now(), downMs, attempts });
      }
      this.failures = 0;
      this.attempts = 0;
      return this.schedule(every);
    }
    const detail = error.message.slice(0, 200);
    this.failures++;
    if (this.current === 'connected') {
      if (this.failures === 1) this.lostSince = startedAt;
      if (this.failures < (this.options.failuresToLose ?? 2)) return this.schedule(Math.min(every, 250));
      this.current = 'unreachable';
      log.warn(`engine unreachable: ${detail}`);
      await this.tell({ type: 'lost', since: this.lostSince, detail });
    } else {
      this.attempts++;
    }
    if (this.attempts >= (this.options.maxAttempts ?? 720)) {
      this.current = 'given-up';
      const downMs = this.now() - this.lostSince;
      log.error(`engine still unreachable after ${this.attempts} retries over ${downMs} ms: giving up`);
      await this.tell({ type: 'gave-up', at: this.now(), downMs, attempts: this.attempts });
      this.stopped = true;
      return;
    }
    const base = this.options.backoffBaseMs ?? 500;
    const nextInMs = Math.min(this.options.backoffMaxMs ?? 5000, base * 2 ** this.attempts);
    await this.tell({ type: 'retry', attempt: this.attempts + 1, nextInMs, detail });
    this.schedule(nextInMs);
  }

  private async tell(event: WatchEvent): Promise<void> {
    try {
      await this.listener(event);
    } catch (e) {
      log.error(`engine watch listener failed: ${(e as Error).message}`);
    }
  }
}
