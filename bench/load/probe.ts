/**
 * Preloaded into the `cyrange serve` process under load (`node -r probe.js …`): the heap and the
 * event loop's delay can only be read from inside the process, and the product has — and should
 * have — no debug route for them. Every `CYRANGE_LOAD_PROBE_MS` it appends one JSON line to the
 * file `CYRANGE_LOAD_PROBE`; nothing else in the server changes. RSS is read from outside
 * (/proc/PID/status) by the driver, so the two views can be compared.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeSample {
  /** Wall ms. */
  t: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
  /** Event-loop delay over the interval, ms. */
  lagP50: number;
  lagP99: number;
  lagMax: number;
}

function start(file: string, everyMs: number): void {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const sample: ProbeSample = {
      t: Date.now(),
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      rss: m.rss,
      lagP50: ms(h.percentile(50)),
      lagP99: ms(h.percentile(99)),
      lagMax: ms(h.max),
    };
    h.reset();
    try {
      appendFileSync(file, `${JSON.stringify(sample)}\n`);
    } catch {
      // The driver removed its directory: the run is over, stop sampling.
      clearInterval(timer);
    }
  }, everyMs);
  timer.unref();
}

const file = process.env.CYRANGE_LOAD_PROBE;
const every = Number(process.env.CYRANGE_LOAD_PROBE_MS ?? '5000');
if (file && Number.isFinite(every) && every >= 100) start(file, every);
