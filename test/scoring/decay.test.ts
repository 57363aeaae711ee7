import { decayFactor, isExpired } from '../../src/scoring/decay';

const w = { window: 1800, expiry: 7200 };

describe('decayFactor at the boundaries', () => {
  test.each([
    // shape, floor, elapsed, factor
    ['linear', 0.5, -1, 0],
    ['linear', 0.5, 0, 1],
    ['linear', 0.5, 1800, 1],
    ['linear', 0.5, 1801, 1 - 0.5 / 5400],
    ['linear', 0.5, 4500, 0.75],
    ['linear', 0.5, 7200, 0.5],
    ['linear', 0.5, 7201, 0],
    ['linear', 0, 7200, 0],
    ['linear', 0, 4500, 0.5],
    ['linear', 1, 5000, 1],
    ['step', 0.25, 1800, 1],
    ['step', 0.25, 1801, 0.25],
    ['step', 0.25, 7200, 0.25],
    ['step', 0.25, 7201, 0],
    ['none', 0.25, 1801, 1],
    ['none', 0.25, 7200, 1],
    ['none', 0.25, 7201, 0],
  ] as const)('%s floor %d at %ds → %d', (shape, floor, elapsed, factor) => {
    expect(decayFactor(elapsed, w, { shape, floor })).toBeCloseTo(factor, 10);
  });

  test.each([
    [520, 1],
    [600, 1],
    [1050, 0.625],
    [1500, 0.25],
    [1501, 0],
  ])('the quickstart example in docs/SCORING.md: at %ds → %d', (elapsed, factor) => {
    expect(decayFactor(elapsed, { window: 600, expiry: 1500 }, { shape: 'linear', floor: 0.25 })).toBeCloseTo(
      factor,
      10,
    );
  });

  test('window equal to expiry: full points up to it, nothing after', () => {
    const same = { window: 600, expiry: 600 };
    expect(decayFactor(600, same, { shape: 'linear', floor: 0.5 })).toBe(1);
    expect(decayFactor(601, same, { shape: 'linear', floor: 0.5 })).toBe(0);
  });

  test('a floor outside 0..1 is clamped', () => {
    expect(decayFactor(7200, w, { shape: 'step', floor: 2 })).toBe(1);
    expect(decayFactor(7200, w, { shape: 'step', floor: -1 })).toBe(0);
  });

  test('NaN elapsed earns nothing', () => {
    expect(decayFactor(Number.NaN, w, { shape: 'none', floor: 0 })).toBe(0);
  });

  test('isExpired only strictly after expiry', () => {
    expect(isExpired(7200, w)).toBe(false);
    expect(isExpired(7201, w)).toBe(true);
  });
});
