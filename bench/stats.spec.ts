import { describe, expect, test } from '@jest/globals';
import { growthPercent, percentile, ratio, spread } from './stats';

describe('percentile', () => {
  test('takes the nearest rank of the sorted values, whatever their order', () => {
    const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(100);
    expect(percentile(values, 0.1)).toBe(10);
    expect(percentile(values, 0)).toBe(10);
  });

  test('p99 of a hundred values is the 99th, not the largest', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.99)).toBe(99);
    expect(spread(values)).toEqual({ count: 100, p50: 50, p99: 99, max: 100 });
  });

  test('is NaN for no values instead of inventing one', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(spread([]).max).toBeNaN();
  });
});

describe('ratio to the baseline', () => {
  test('divides by the baseline, and is NaN when the baseline measured nothing', () => {
    expect(ratio(700, 1000)).toBeCloseTo(0.7);
    expect(ratio(700, 0)).toBeNaN();
    expect(ratio(700, Number.NaN)).toBeNaN();
  });
});

describe('memory growth', () => {
  test('compares the mean of the first and of the last tenth of the samples', () => {
    const samples = [
      100, 100, 100, 100, 100, 100, 100, 100, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110, 110,
    ];
    // Tenths of 20 samples are 2 long: 100 → 110.
    expect(growthPercent(samples)).toBeCloseTo(10);
  });

  test('a collection at the last sample alone does not decide the figure', () => {
    // Tenths of 30 samples are 3 long: 200 → (200 + 200 + 100) / 3, not 200 → 100.
    const samples = [...Array.from({ length: 29 }, () => 200), 100];
    expect(growthPercent(samples)).toBeCloseTo(-50 / 3);
  });

  test('needs two samples', () => {
    expect(growthPercent([100])).toBeNaN();
  });
});
