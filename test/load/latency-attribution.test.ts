/**
 * The load day's latency measurement ties a scoring write to the first board in which that team's
 * total moved, on the reference client's record, and takes each client's arrival of that version.
 * Checked on hand-made records, so a wrong attribution (another team's change, a board from
 * before the write) would show here rather than as a flattering figure in the benchmark.
 */
import { percentile, scoreboardLatency } from '../../bench/load/latency';
import type { ClientRecord } from '../../bench/load/socket-clients';

function client(boards: [number, number][], totals?: Record<number, Record<string, number>>): ClientRecord {
  return {
    role: totals ? 'evaluator' : 'spectator',
    audience: totals ? 'staff' : 'public',
    boards,
    teamScores: 0,
    inbox: [],
    actions: [],
    alerts: 0,
    connectErrors: [],
    disconnects: [],
    ...(totals ? { totals } : {}),
    finalTotals: {},
    finalVersion: boards.at(-1)?.[0] ?? -1,
  };
}

const totals = {
  1: { t01: 0, t02: 0 },
  2: { t01: 0, t02: 50 }, // t02 moved
  3: { t01: 100, t02: 50 }, // t01 moved
  4: { t01: 100, t02: 50 }, // nothing for either (another field changed)
};

it("takes the first board after the write in which the writer's total moved, at every client", () => {
  const ref = client(
    [
      [1, 1000],
      [2, 1100],
      [3, 1300],
      [4, 1400],
    ],
    totals,
  );
  const other = client([
    [1, 1001],
    [2, 1150],
    [3, 1320],
    [4, 1410],
  ]);
  const r = scoreboardLatency([{ team: 't01', why: 'x', sentAt: 1050, ackedAt: 1280 }], [ref, other]);
  // t02's change at version 2 is not t01's; version 3 is.
  expect(r.attributed).toBe(1);
  expect(r.fromSend).toEqual([250, 270]);
  expect(r.fromAck).toEqual([20, 40]);
  expect(r.missing).toBe(0);
});

it('leaves a write unattributed when its team never moves, and counts boards a client missed', () => {
  const ref = client(
    [
      [1, 1000],
      [2, 1100],
      [3, 1300],
    ],
    totals,
  );
  const late = client([[1, 1000]]);
  const r = scoreboardLatency(
    [
      { team: 't02', why: 'after its change', sentAt: 1200, ackedAt: 1210 },
      { team: 't01', why: 'before', sentAt: 1250, ackedAt: 1260 },
    ],
    [ref, late],
  );
  expect(r.unattributed.map((w) => w.why)).toEqual(['after its change']);
  expect(r.attributed).toBe(1);
  expect(r.missing).toBe(1);
  expect(r.fromSend).toEqual([50]);
});

it('gives nearest-rank percentiles', () => {
  const v = Array.from({ length: 100 }, (_, i) => i + 1);
  expect([percentile(v, 50), percentile(v, 99), percentile(v, 100)]).toEqual([50, 99, 100]);
  expect(percentile([], 50)).toBeNaN();
});
