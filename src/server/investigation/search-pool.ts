/**
 * A bounded pool of telemetry search workers, so a wide search (a day of free text over
 * thousands of simulated hosts takes seconds) never holds the event loop the session runner's
 * timer and the sockets share. Workers start on first use; a full queue answers at once (the
 * caller says 503, retry); a search past its deadline has its worker terminated and replaced.
 */
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SearchJob, SearchReply, SearchWorkerData } from './search-protocol';

export interface SearchPoolOptions {
  /** Worker threads (default 1: two shared cores serve the engine, sockets and searches). */
  size?: number;
  /** Searches waiting for a worker before new ones are refused (default 16). */
  maxQueue?: number;
  /** A search's deadline, ms (default 15 s). */
  timeoutMs?: number;
  /** Node options for the workers (tests: `--require` a TypeScript loader). */
  execArgv?: string[];
}

export class SearchPoolBusy extends Error {}
export class SearchTimeout extends Error {}

type Done = Extract<SearchReply, { ok: true }>;

interface Pending {
  job: SearchJob;
  resolve(r: Done): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  busy?: Pending & { timer: NodeJS.Timeout };
}

export class SearchPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly maxQueue: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly data: SearchWorkerData,
    private readonly options: SearchPoolOptions = {},
  ) {
    this.size = Math.max(1, options.size ?? 1);
    this.maxQueue = options.maxQueue ?? 16;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The worker script next to this file (`.js` when built, `.ts` under a TypeScript loader). */
  static workerFile(): string {
    return join(__dirname, `search-worker${extname(__filename)}`);
  }

  run(job: Omit<SearchJob, 'id'>): Promise<Done> {
    if (this.closed) return Promise.reject(new SearchPoolBusy('the search pool is closed'));
    if (this.queue.length >= this.maxQueue)
      return Promise.reject(new SearchPoolBusy(`${this.queue.length} searches are waiting`));
    return new Promise<Done>((resolve, reject) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new SearchPoolBusy('the server is stopping'));
    await Promise.all(
      this.slots.splice(0).map((s) => {
        if (s.busy) {
          clearTimeout(s.busy.timer);
          s.busy.reject(new SearchPoolBusy('the server is stopping'));
        }
        return s.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => !s.busy);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const p = this.queue.shift()!;
      const s = slot;
      const timer = setTimeout(() => {
        // A search past its deadline: end its worker (the only way to stop it) and start afresh.
        this.retire(s);
        p.reject(new SearchTimeout(`the search took longer than ${this.timeoutMs} ms`));
        this.dispatch();
      }, this.timeoutMs);
      s.busy = { ...p, timer };
      s.worker.postMessage(p.job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(SearchPool.workerFile(), {
      workerData: this.data,
      ...(this.options.execArgv ? { execArgv: this.options.execArgv } : {}),
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (reply: SearchReply) => {
      const b = slot.busy;
      if (!b || b.job.id !== reply.id) return;
      clearTimeout(b.timer);
      slot.busy = undefined;
      if (reply.ok) b.resolve(reply);
      else b.reject(new Error(reply.message));
      this.dispatch();
    });
    worker.on('error', (e) => {
      const b = slot.busy;
      this.retire(slot);
      if (b) {
        clearTimeout(b.timer);
        b.reject(e);
      }
      this.dispatch();
    });
    this.slots.push(slot);
    return slot;
  }

  private retire(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    slot.busy = undefined;
    void slot.worker.terminate();
  }
}
