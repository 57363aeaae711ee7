/** Range health spends a budget of service checks (execs) per second instead of checking every host at once. */
import type { SizedContainer } from '../../src/range/docker/clients';
import { CheckBudget } from '../../src/range/health/check-budget';

function host(name: string, id = `${name}-id`, state = 'running'): SizedContainer {
  return {
    Id: id,
    Names: [`/${name}`],
    State: state,
    Labels: { 'cyrange.host': name },
  } as unknown as SizedContainer;
}
const names = (cs: SizedContainer[]) => cs.map((c) => c.Names[0]!.slice(1));
const range = Array.from({ length: 200 }, (_, i) => host(`h${String(i).padStart(3, '0')}`));

test('200 hosts at 4 checks a second: 4 per one-second tick, every host once in 50 s, none twice', () => {
  const budget = new CheckBudget({ perSecond: 4, minIntervalMs: 5000 });
  const seen = new Map<string, number>();
  for (let t = 0; t < 50; t++) {
    const now = 1_000_000 + t * 1000;
    const due = budget.due(range, now);
    expect(due).toHaveLength(4);
    for (const c of due) {
      seen.set(c.Id, (seen.get(c.Id) ?? 0) + 1);
      budget.record(c, { ok: true, detail: 'passes' }, now);
    }
  }
  expect(seen.size).toBe(200);
  expect([...seen.values()].every((n) => n === 1)).toBe(true);
});

test('a small range is checked no more often than the minimum interval', () => {
  const budget = new CheckBudget({ perSecond: 4, minIntervalMs: 5000 });
  const small = [host('a'), host('b')];
  let checks = 0;
  for (let t = 0; t < 20; t++) {
    const now = t * 1000 + 1;
    for (const c of budget.due(small, now)) {
      checks++;
      budget.record(c, { ok: true, detail: 'passes' }, now);
    }
  }
  // t = 0, 5, 10, 15 s: 4 rounds of 2.
  expect(checks).toBe(8);
});

test('new and recreated hosts go first, then failing ones, then the longest unchecked', () => {
  const budget = new CheckBudget({ perSecond: 1, minIntervalMs: 0 });
  const [a, b, c] = [host('a'), host('b'), host('c')];
  budget.record(a, { ok: true, detail: 'passes' }, 100);
  budget.record(b, { ok: false, detail: 'smbd is gone' }, 200);
  budget.record(c, { ok: true, detail: 'passes' }, 50);
  const recreated = host('a', 'a-new-id');
  budget.due([recreated, b, c], 1000); // spends the first second's credit on the recreated host
  expect(names(budget.due([recreated, b, c], 2000))).toEqual(['a']);
  budget.record(recreated, { ok: true, detail: 'passes' }, 2000);
  expect(names(budget.due([recreated, b, c], 3000))).toEqual(['b']);
  budget.record(b, { ok: false, detail: 'smbd is gone' }, 3000);
  expect(names(budget.due([recreated, b, c], 4000))).toEqual(['b']);
  budget.record(b, { ok: true, detail: 'passes' }, 4000);
  expect(names(budget.due([recreated, b, c], 5000))).toEqual(['c']);
});

test('outcomes drop hosts that stopped or were recreated; an expired host is due first', () => {
  const budget = new CheckBudget({ perSecond: 10, minIntervalMs: 60_000 });
  const [a, b] = [host('a'), host('b')];
  for (const c of budget.due([a, b], 0)) budget.record(c, { ok: false, detail: 'down' }, 0);
  expect([...budget.outcomes().keys()].sort()).toEqual(['a', 'b']);
  budget.due([host('a', 'a2'), host('b', 'b-id', 'exited')], 1000);
  expect([...budget.outcomes().keys()]).toEqual([]);
  for (const c of budget.due([a, b], 2000)) budget.record(c, { ok: true, detail: 'passes' }, 2000);
  expect(budget.due([a, b], 3000)).toEqual([]);
  budget.expire('b');
  expect(names(budget.due([a, b], 4000))).toEqual(['b']);
  budget.expireAll();
  expect(names(budget.due([a, b], 5000)).sort()).toEqual(['a', 'b']);
});
