/**
 * The reduced load day (issue 7) that CI runs: the flagship scenario for 10 teams through a real
 * `cyrange serve` process (simulated driver, real SQLite file), compressed into about 75 s, with
 * scripted teams over HTTP and 100 socket.io clients in child processes. It asserts the same
 * invariants as the full day (`npm run bench:load`): no 5xx, no socket error or disconnect,
 * every acknowledged write stored, every push accounted for, the board every client ended on
 * equal to the server's and to the log's sum, and scoreboard latency within 1 s at p99 — with a
 * generous memory bound, since a 75-second day is mostly warm-up.
 */
import { runDay, table } from '../../bench/load/day';
import { reducedDay } from '../../bench/load/day-options';

const lines: string[] = [];

it('runs a compressed day for 10 teams with 100 socket clients and reconciles every count', async () => {
  const result = await runDay(reducedDay((l) => lines.push(l)));
  const report = table(result);
  if (!result.ok || process.env.CYRANGE_TEST_LOG) process.stdout.write(`${lines.join('\n')}\n${report}\n`);
  for (const c of result.checks)
    expect({ check: c.name, ok: c.ok, detail: c.detail }).toMatchObject({ ok: true });
  expect(result.checks.map((c) => c.name)).toEqual(
    expect.arrayContaining([
      'injects fired = plan MSEL = MSEL view',
      'reports and actions: stored = acknowledged',
      'scoreboard latency p99 ≤ limit',
    ]),
  );
}, 200_000);
