import fc from 'fast-check';
import {
  changeSpeed,
  initialClock,
  pauseClock,
  resumeClock,
  scenarioAt,
  startClock,
  stopClock,
  wallAt,
} from '../../src/engine/clock/exercise-clock';
import { scenarioEpochMs, timeZoneOffsetMs } from '../../src/engine/clock/scenario-epoch';

const W = 1_700_000_000_000;

describe('exercise clock', () => {
  it('maps wall time to scenario time through start, pause, resume, speed changes and stop', () => {
    let c = startClock(initialClock(1), W, 6); // one scenario hour in ten minutes
    expect(scenarioAt(c, W + 600_000)).toBe(3600);
    c = pauseClock(c, W + 600_000);
    expect(scenarioAt(c, W + 5_000_000)).toBe(3600);
    expect(wallAt(c, 4000)).toBeUndefined();
    c = resumeClock(c, W + 1_200_000);
    expect(scenarioAt(c, W + 1_210_000)).toBe(3660);
    c = changeSpeed(c, W + 1_210_000, 60);
    expect(scenarioAt(c, W + 1_211_000)).toBe(3720);
    expect(wallAt(c, 3780)).toBe(W + 1_212_000);
    c = stopClock(c, W + 1_212_000);
    expect(scenarioAt(c, W + 9_999_999)).toBe(3780);
  });

  it('refuses verbs that make no sense in the current state', () => {
    const created = initialClock(1);
    expect(() => pauseClock(created, W)).toThrow(/only a running clock can pause/);
    expect(() => resumeClock(startClock(created, W), W)).toThrow(/only a paused clock can resume/);
    expect(() => startClock(startClock(created, W), W)).toThrow(/only a new clock can start/);
    expect(() => changeSpeed(created, W, 0)).toThrow(/positive number/);
    expect(() => changeSpeed(created, W, Number.NaN)).toThrow(/positive number/);
    expect(() => stopClock(created, W)).toThrow(/only a started clock can stop/);
  });

  it('is continuous and monotonic whatever the sequence of speed changes and pauses', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 100_000 }),
            op: fc.constantFrom('pause', 'speed', 'none'),
            speed: fc.double({ min: 0.1, max: 600, noNaN: true }),
          }),
          { maxLength: 30 },
        ),
        (ops) => {
          let c = startClock(initialClock(1), W, 1);
          let wall = W;
          let last = 0;
          for (const o of ops) {
            wall += o.dt;
            const before = scenarioAt(c, wall);
            expect(before).toBeGreaterThanOrEqual(last - 1e-9);
            if (o.op === 'pause') c = c.status === 'running' ? pauseClock(c, wall) : resumeClock(c, wall);
            else if (o.op === 'speed') c = changeSpeed(c, wall, o.speed);
            expect(scenarioAt(c, wall)).toBeCloseTo(before, 6);
            last = before;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts T+0 at the scenario start time of day in the scenario time zone', () => {
    expect(timeZoneOffsetMs('Asia/Tokyo', W)).toBe(9 * 3600_000);
    const created = Date.UTC(2026, 10, 26, 0, 30); // 09:30 in Tokyo
    expect(new Date(scenarioEpochMs('Asia/Tokyo', 10 * 3600, created)).toISOString()).toBe(
      '2026-11-26T01:00:00.000Z',
    );
    const lateUtc = Date.UTC(2026, 10, 26, 20, 0); // already 05:00 the next day in Tokyo
    expect(new Date(scenarioEpochMs('Asia/Tokyo', 10 * 3600, lateUtc)).toISOString()).toBe(
      '2026-11-27T01:00:00.000Z',
    );
    expect(scenarioEpochMs('Not/AZone', 0, Date.UTC(2026, 0, 1, 12))).toBe(Date.UTC(2026, 0, 1));
  });
});
