/**
 * Runs the scenario loader (and the compiler, for what it accepts) on one case at a time in a
 * worker thread, so the fuzzer's main thread can hold each case to a wall-clock deadline and end a
 * case that hangs — something a synchronous call on the main thread cannot do.
 *
 * Answers each case with how long it took and what is wrong with the result: a throw, an accepted
 * scenario that does not compile or still has diagnostics, or a diagnostic without a place.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { compile } from '../../../src/compiler/compile';
import type { LoadResult } from '../../../src/scenario/load';
import { loadText } from '../../scenario/support/load';
import type { LoaderCase } from './scenario-cases';

export interface LoaderVerdict {
  /** Wall time of the case. */
  ms: number;
  /** CPU time this thread spent on the case (Linux; 10 ms resolution), else undefined. */
  cpuMs?: number;
  accepted: boolean;
  diagnostics: number;
  problems: string[];
}

/** The main file and every included file, with their line counts, for checking positions. */
function lineCounts(c: LoaderCase): Map<string, number> {
  const files = new Map<string, number>([['/virtual/main.yaml', c.text.split(/\r\n|\r|\n/).length]]);
  for (const [rel, text] of Object.entries(c.files))
    files.set(`/virtual/${rel}`, text.split(/\r\n|\r|\n/).length);
  return files;
}

function problemsOf(c: LoaderCase, r: LoadResult): string[] {
  if (r.scenario) {
    if (r.diagnostics.length) return [`accepted with ${r.diagnostics.length} diagnostics`];
    compile(r.scenario, { parameters: r.parameters });
    return [];
  }
  if (r.diagnostics.length === 0) return ['refused without a diagnostic'];
  const lines = lineCounts(c);
  const out: string[] = [];
  for (const d of r.diagnostics) {
    const where = `${d.file}:${d.line}:${d.col}`;
    // `--set` / `--teams` problems are placed at the flag (docs: formatDiagnostic).
    const flag = d.file.startsWith('--');
    if (!flag && !lines.has(d.file)) out.push(`${where}: a file the case does not have`);
    if (!Number.isInteger(d.line) || d.line < 1 || (!flag && d.line > (lines.get(d.file) ?? 0) + 1))
      out.push(`${where}: line out of the file`);
    if (!Number.isInteger(d.col) || d.col < 1) out.push(`${where}: no column`);
    if (typeof d.message !== 'string' || !d.message || /undefined|\[object Object\]/.test(d.message))
      out.push(`${where}: message "${String(d.message).slice(0, 120)}"`);
  }
  return out;
}

/**
 * CPU time of this thread so far: on a shared machine wall time also counts the time other jobs
 * held the cores, CPU time only the loader's own work.
 */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name start at the third; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms (USER_HZ 100)
  } catch {
    return undefined;
  }
}

parentPort?.on('message', (c: LoaderCase) => {
  const cpuBefore = threadCpuMs();
  const started = performance.now();
  let problems: string[];
  let r: LoadResult | undefined;
  try {
    r = loadText(c.text, c.files, c.options);
    problems = problemsOf(c, r);
  } catch (e) {
    problems = [`threw: ${(e as Error)?.stack?.split('\n').slice(0, 4).join(' | ') ?? String(e)}`];
  }
  const cpuAfter = threadCpuMs();
  const verdict: LoaderVerdict = {
    ms: performance.now() - started,
    ...(cpuBefore !== undefined && cpuAfter !== undefined ? { cpuMs: cpuAfter - cpuBefore } : {}),
    accepted: r?.scenario !== undefined,
    diagnostics: r?.diagnostics.length ?? 0,
    problems,
  };
  parentPort?.postMessage(verdict);
});
