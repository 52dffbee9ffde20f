// Small, exact statistics for trial summaries. Pure functions.

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * The Wilson score interval for k successes in n trials: unlike k/n ± z·se it stays inside [0, 1] and
 * is honest at k = 0 and k = n, which is where race counts usually are.
 */
export function wilsonInterval(k: number, n: number, z = Z95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Min, median (mean of the middle two for an even count) and max; all 0 for no values. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { min: 0, median: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

export interface Bin {
  /** Inclusive bounds. */
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** Groups integers into at most `maxBins` bins of equal width; one bin per value when few distinct. */
export function histogram(values: readonly number[], maxBins: number): Bin[] {
  if (values.length === 0) return [];
  const { min, max } = spread(values);
  const width = Math.max(1, Math.ceil((max - min + 1) / maxBins));
  const bins: Bin[] = [];
  for (let from = min; from <= max; from += width) {
    const to = Math.min(max, from + width - 1);
    bins.push({ from, to, count: values.filter((v) => v >= from && v <= to).length });
  }
  return bins;
}
