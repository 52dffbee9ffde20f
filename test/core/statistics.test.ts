import { describe, expect, it } from 'vitest';
import { histogram, spread, wilsonInterval } from '../../dist/core/statistics.js';

describe('wilsonInterval', () => {
  // Reference values: the Wilson score interval at 95% as published (e.g. statsmodels proportion_confint).
  it.each([
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [5, 10, 0.2366, 0.7634],
    [1, 20, 0.0089, 0.2361],
    [20, 20, 0.8389, 1],
  ])('%i of %i → %f to %f', (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('says nothing is known after no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('spread', () => {
  it('gives min, median and max', () => {
    expect(spread([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(spread([])).toEqual({ min: 0, median: 0, max: 0 });
  });
});

describe('histogram', () => {
  it('puts every value in exactly one bin of equal width', () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9];
    const bins = histogram(values, 5);
    expect(bins).toEqual([
      { from: 0, to: 1, count: 2 },
      { from: 2, to: 3, count: 2 },
      { from: 4, to: 5, count: 2 },
      { from: 6, to: 7, count: 2 },
      { from: 8, to: 9, count: 3 },
    ]);
  });

  it('gives one bin per value when there are few', () => {
    expect(histogram([7, 7, 8], 8)).toEqual([
      { from: 7, to: 7, count: 2 },
      { from: 8, to: 8, count: 1 },
    ]);
  });
});
