// Pure arithmetic of the bench: percentiles, ratios against a baseline, memory growth.

/** The nearest-rank percentile (q in 0..1) of the values; NaN for none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface Spread {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: values.length === 0 ? Number.NaN : Math.max(...values),
  };
}

/** An endpoint's requests/s as a share of its baseline's; NaN when the baseline measured nothing. */
export function ratio(value: number, baseline: number): number {
  return baseline > 0 && Number.isFinite(baseline) ? value / baseline : Number.NaN;
}

/**
 * Growth of a series (e.g. RSS samples in time order) from its start to its end, in percent. Each
 * end is the mean of a tenth of the samples (at least one), so one garbage collection at either
 * end does not decide the figure.
 */
export function growthPercent(samples: readonly number[]): number {
  if (samples.length < 2) return Number.NaN;
  const window = Math.max(1, Math.floor(samples.length / 10));
  const mean = (part: readonly number[]) => part.reduce((sum, v) => sum + v, 0) / part.length;
  const first = mean(samples.slice(0, window));
  const last = mean(samples.slice(-window));
  return first > 0 ? ((last - first) / first) * 100 : Number.NaN;
}
