/**
 * Range health benchmark (`npm run bench:health`): the CPU that watching a live range costs the
 * machine. Brings up N teams × H live hosts (images cached), then measures the whole machine's busy
 * CPU (/proc/stat) for W seconds three times: the range alone, the range with `RangeHealthMonitor` at
 * its default budget (3 service checks a second), and — the peer, in the same run — the
 * monitor checking every host every `checkEveryMs` (an unbounded budget, as before the budget).
 * Prints cores used above the idle range and the ratio; the limit is 0.25 cores (an eighth of the
 * 2-core machine). Leaves nothing behind (label cyrange.exercise=bench-health).
 */
import { readFileSync } from 'node:fs';
import { clientsFor, connectEngine } from '../src/range/docker/clients';
import { RangeHealthMonitor } from '../src/range/health/range-health-monitor';
import { rangeDown } from '../src/range/lifecycle/range-down';
import { rangeUp } from '../src/range/lifecycle/range-up';
import { benchRangePlan } from './bench-range';

const EXERCISE = 'bench-health';
const LIMIT_CORES = 0.25;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

function busySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return (total - (fields[3] ?? 0) - (fields[4] ?? 0)) / 100;
}

async function coresOver(seconds: number): Promise<number> {
  const before = busySeconds();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  return (busySeconds() - before) / seconds;
}

async function main(): Promise<void> {
  const teams = flag('teams', 10);
  const hosts = flag('hosts', 20);
  const window = flag('seconds', 20);
  const plan = benchRangePlan(teams, hosts);
  const clients = clientsFor(await connectEngine());
  await rangeDown(clients, EXERCISE);
  try {
    const up = await rangeUp(clients, plan, { exercise: EXERCISE });
    console.log(
      `range health: ${up.ready.length} live hosts ready in ${(up.ms / 1000).toFixed(1)} s; ${window} s windows`,
    );
    await new Promise((r) => setTimeout(r, 5000));
    const idle = await coresOver(window);
    const watched = async (checksPerSecond: number): Promise<number> => {
      const monitor = new RangeHealthMonitor({ clients, plan, exercise: EXERCISE, checksPerSecond });
      monitor.start();
      try {
        await new Promise((r) => setTimeout(r, 5000));
        return (await coresOver(window)) - idle;
      } finally {
        await monitor.stop();
      }
    };
    const budget = await watched(3);
    const unbounded = await watched(10_000);
    console.log(`  idle range:                          ${idle.toFixed(2)} cores`);
    console.log(`  + range health (3 checks/s):         ${budget.toFixed(2)} cores`);
    console.log(`  + every host every 5 s (peer):       ${unbounded.toFixed(2)} cores`);
    console.log(`  ratio to the peer ${(budget / unbounded).toFixed(2)}`);
    console.log(
      `  ratio to the limit ${(budget / LIMIT_CORES).toFixed(2)} (limit ${LIMIT_CORES} cores) ${budget <= LIMIT_CORES ? 'OK' : 'OVER'}`,
    );
    console.log(
      JSON.stringify({ teams, hosts: up.ready.length, idle, budget, unbounded, limit: LIMIT_CORES }),
    );
  } finally {
    await rangeDown(clients, EXERCISE);
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
