/**
 * Thousands of hostile scenarios through the loader (and the compiler, for what it accepts): alias
 * bombs, deep nesting, huge and special numbers, long lines, tags and directives, cron expressions
 * that never match, include cycles and chains, absurd counts, hostile `--set` / `--teams`. No
 * case throws, none takes more than 2 s of CPU ("no hang": each runs in a worker thread, whose
 * own CPU time is measured — wall time on a shared machine also counts other jobs — and which the
 * test ends after 15 s of wall time), and every diagnostic has a file, a line inside it and a column.
 *
 * CI runs 2,000 cases; `CYRANGE_FULL=1` runs 20,000. Reproduce: failures print their seed and case
 * number; `CYRANGE_FUZZ_SEED=N` replays a run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { budgetMs, repeats } from '../reliability/support/scale';
import { fixtureText, loadText, SCENARIOS } from '../scenario/support/load';
import type { LoaderVerdict } from './support/loader-worker';
import { aliasBomb, deepBlock, deepFlow, type LoaderCase, loaderCase } from './support/scenario-cases';

const SEED = Number(process.env.CYRANGE_FUZZ_SEED ?? 20261126);
const CASES = repeats(2_000, 20_000);
/** "No hang": the most CPU time one case may take, loading and compiling. */
const CASE_CPU_MS = 2_000;
/** A case still running after this much wall time is ended (CPU time cannot be read from a stuck thread). */
const CASE_DEADLINE_MS = 15_000;
const CHUNK = 100;

const BASES = [
  { name: 'minimal', text: fixtureText('minimal.yaml') },
  { name: 'quickstart', text: readFileSync(join(SCENARIOS, 'quickstart.yaml'), 'utf8') },
];

/** The loader in a worker thread, replaced when a case runs past its deadline. */
class LoaderThread {
  private worker = this.start();

  private start(): Worker {
    return new Worker(join(__dirname, 'support/loader-worker.ts'), {
      execArgv: ['--require', join(__dirname, '../support/register-ts.js')],
    });
  }

  run(c: LoaderCase, deadlineMs: number): Promise<LoaderVerdict | 'deadline'> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.worker.removeAllListeners();
        void this.worker.terminate();
        this.worker = this.start();
        resolve('deadline');
      }, deadlineMs);
      this.worker.once('message', (v: LoaderVerdict) => {
        clearTimeout(timer);
        this.worker.removeAllListeners('error');
        resolve(v);
      });
      this.worker.once('error', (e) => {
        clearTimeout(timer);
        this.worker = this.start();
        reject(e);
      });
      this.worker.postMessage(c);
    });
  }

  /** Loads something trivial, so the first timed case does not pay the worker's start-up. */
  async warm(): Promise<void> {
    await this.run({ what: 'warm-up', text: BASES[0]!.text, files: {}, options: {} }, 60_000);
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

let thread: LoaderThread;

beforeAll(async () => {
  thread = new LoaderThread();
  await thread.warm();
}, 60_000);

afterAll(async () => {
  await thread?.close();
});

interface Tally {
  cases: number;
  accepted: number;
  refused: number;
  slowestMs: number;
  slowest: string;
  failures: string[];
}

async function runCases(cases: LoaderCase[], label: (i: number) => string): Promise<Tally> {
  const t: Tally = { cases: 0, accepted: 0, refused: 0, slowestMs: 0, slowest: '', failures: [] };
  for (const [i, c] of cases.entries()) {
    t.cases++;
    const v = await thread.run(c, CASE_DEADLINE_MS);
    if (v === 'deadline') {
      t.failures.push(`${label(i)} (${c.what}): still running after ${CASE_DEADLINE_MS} ms of wall time`);
      continue;
    }
    if (v.accepted) t.accepted++;
    else t.refused++;
    const cost = v.cpuMs ?? v.ms;
    if (cost > CASE_CPU_MS) t.failures.push(`${label(i)} (${c.what}): ${cost} ms of CPU`);
    if (cost > t.slowestMs) {
      t.slowestMs = cost;
      t.slowest = c.what;
    }
    for (const p of v.problems.slice(0, 3)) t.failures.push(`${label(i)} (${c.what}): ${p}`);
  }
  return t;
}

function report(name: string, t: Tally): void {
  process.stderr.write(
    `loader fuzz (${name}): ${t.cases} cases, ${t.accepted} accepted, ${t.refused} refused with diagnostics; most CPU ${t.slowestMs.toFixed(0)} ms (${t.slowest.slice(0, 100)})\n`,
  );
}

it('survives the named attacks: each within 2 s of CPU, with a placed diagnostic or a compilable scenario', async () => {
  const base = BASES[0]!.text;
  const named: LoaderCase[] = [
    { what: 'billion laughs (10^9 nodes)', text: `${base}\n${aliasBomb(9)}`, files: {}, options: {} },
    { what: '100,000 nested brackets', text: `${base}\nx: ${deepFlow(100_000)}\n`, files: {}, options: {} },
    { what: '5,000 nested maps', text: `${base}\n${deepBlock(5_000)}`, files: {}, options: {} },
    {
      what: 'a 1,000,000-character line',
      text: `${base}\nlong: ${'x'.repeat(1_000_000)}\n`,
      files: {},
      options: {},
    },
    {
      what: 'a 2 MB included file',
      text: `include: [big.yaml]\n${base}`,
      files: { 'big.yaml': `big: ${'x'.repeat(2 * 1024 * 1024)}\n` },
      options: {},
    },
    {
      what: 'cron on February 30th',
      text: base.replace('trigger: { at: +10m }', 'trigger: { cron: "0 0 30 2 *" }'),
      files: {},
      options: {},
    },
    {
      what: 'cron every minute for a year',
      text: base
        .replace('trigger: { at: +10m }', 'trigger: { cron: "* * * * *" }')
        .replace('duration: 2h', 'duration: 8760h'),
      files: {},
      options: {},
    },
    {
      what: 'include cycle',
      text: `include: [a.yaml]\n${base}`,
      files: { 'a.yaml': 'include: [b.yaml]\n', 'b.yaml': 'include: [a.yaml]\n' },
      options: {},
    },
    {
      what: '100 teams of 100,000 hosts',
      text: base.replace('count: 5,', 'count: 100000,').replace('cidr: 10.1.2.0/24', 'cidr: 10.0.0.0/8'),
      files: {},
      options: { teams: 100 },
    },
    { what: 'a list that contains itself', text: `${base}\nloop: &loop [*loop]\n`, files: {}, options: {} },
    {
      what: 'hosts that contain themselves',
      text: base.replace('hosts:\n', 'hosts: &h\n  - *h\n'),
      files: {},
      options: {},
    },
    {
      what: '50,000 unknown keys',
      text: `${base}\n${Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`,
      files: {},
      options: {},
    },
    {
      what: '20,000 aliases',
      text: `${base}\na: &a x\nrefs: [${Array(20_000).fill('*a').join(', ')}]\n`,
      files: {},
      options: {},
    },
    { what: 'a million teams', text: base, files: {}, options: { teams: 1_000_000 } },
    { what: "a 600 KB line of 'a: '", text: `x: ${'a: '.repeat(200_000)}\n`, files: {}, options: {} },
    {
      what: '20,000 keys with CR line ends',
      text: `${base}\n${Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n')}\n`.replace(
        /\n/g,
        '\r',
      ),
      files: {},
      options: {},
    },
    {
      what: 'huge numbers everywhere',
      text: base.replace(/headcount: \d+/, 'headcount: 1e309').replace('duration: 2h', 'duration: 1e309h'),
      files: {},
      options: {},
    },
  ];
  const t = await runCases(named, (i) => `named case ${i}`);
  report('named', t);
  expect(t.failures).toEqual([]);
}, 120_000);

it(
  `survives ${CASES} generated hostile scenarios: no throw, none over 2 s of CPU, every diagnostic placed`,
  async () => {
    // Sampled in chunks (seed SEED + chunk), so a full run never holds 20,000 sources at once.
    const t: Tally = { cases: 0, accepted: 0, refused: 0, slowestMs: 0, slowest: '', failures: [] };
    for (let chunk = 0; chunk * CHUNK < CASES; chunk++) {
      const seed = SEED + chunk;
      const cases = fc.sample(loaderCase(BASES), { numRuns: Math.min(CHUNK, CASES - chunk * CHUNK), seed });
      const part = await runCases(cases, (i) => `seed ${seed} case ${i}`);
      t.cases += part.cases;
      t.accepted += part.accepted;
      t.refused += part.refused;
      t.failures.push(...part.failures);
      if (part.slowestMs > t.slowestMs)
        Object.assign(t, { slowestMs: part.slowestMs, slowest: part.slowest });
    }
    report('generated', t);
    expect(t.failures).toEqual([]);
    // The run must reach both outcomes, or the generator has stopped exercising the loader.
    expect(t.refused).toBeGreaterThan(CASES / 2);
  },
  budgetMs(CASES, 30),
);

describe('what the loader says about the attacks it used to choke on', () => {
  const base = BASES[0]!.text;
  const baseLines = base.split('\n').length;
  const first = (text: string, files: Record<string, string> = {}, options = {}) =>
    loadText(text, files, options).diagnostics;

  it('deep nesting: refused before parsing, at the bracket that goes too deep', () => {
    const [d] = first(`${base}\nx: ${deepFlow(100_000)}\n`);
    expect(d).toMatchObject({
      line: baseLines + 1,
      col: 4 + 64,
      message: expect.stringMatching(/nests too deeply/),
    });
    expect(first(`${base}\n${deepBlock(1_000)}`)[0]?.message).toMatch(/indented more than 256 spaces/);
  });

  it('thousands of unknown keys: the first 20 placed, then one line counting the rest', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const ds = first(`${base}\n${keys}\n`);
    expect(ds).toHaveLength(21);
    expect(ds[20]!.message).toBe('… and 49980 more unknown keys');
  });

  it('duplicate keys and aliases without anchors are still found (now in one pass)', () => {
    expect(first(`${base}\nx: 1\nx: 2\n`)[0]).toMatchObject({
      line: baseLines + 2,
      message: 'Map keys must be unique',
    });
    expect(first(`${base}\nx: *nowhere\n`)[0]?.message).toBe('unknown alias `*nowhere`');
  });

  it('a million teams, and files over 1 MB, main or included', () => {
    expect(first(base, {}, { teams: 1_000_000 })[0]).toMatchObject({ file: '--teams', line: 1, col: 1 });
    const big = `big: ${'x'.repeat(2 * 1024 * 1024)}\n`;
    expect(first(big)[0]?.message).toBe('scenario file is larger than 1 MB');
    expect(first(`include: [big.yaml]\n${base}`, { 'big.yaml': big })[0]).toMatchObject({
      file: '/virtual/big.yaml',
      message: 'scenario file is larger than 1 MB',
    });
  });
});
