/**
 * Fixed-bucket histograms: differentially private releases noise bucket counts, then estimate
 * means and medians from them (post-processing, so it costs no privacy budget).
 */
export interface Bucket {
  /** Inclusive lower bound. */
  lower: number;
  /** Exclusive upper bound; null for the last, open-ended bucket. */
  upper: number | null;
}

/** Unit buckets for 1 … `below - 1`, then the given wider ones. */
function units(below: number): Bucket[] {
  return Array.from({ length: below - 1 }, (_, index) => ({ lower: index + 1, upper: index + 2 }));
}

/** Session length in seconds, first to last event; 0 is a single-event session. */
export const DURATION_BUCKETS: readonly Bucket[] = [0, 1, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600].map((lower, index, all) => ({
  lower,
  upper: all[index + 1] ?? null,
}));

/** Days between two consecutive purchase days of a shopper (at least 1). */
export const GAP_BUCKETS: readonly Bucket[] = [
  ...units(31),
  { lower: 31, upper: 61 },
  { lower: 61, upper: 91 },
  { lower: 91, upper: 181 },
  { lower: 181, upper: 366 },
  { lower: 366, upper: null },
];

/** Events per session 1 … `cap`, the last bucket holding sessions of `cap` events or more. */
export function eventCountBuckets(cap: number): Bucket[] {
  return [...units(cap), { lower: cap, upper: null }];
}

/**
 * The value a bucket stands for: itself for unit buckets, the midpoint of a wider one, the lower
 * bound of the open-ended last (so estimates err low rather than inventing long tails).
 */
export function representative(bucket: Bucket): number {
  if (bucket.upper === null) return bucket.lower;
  return bucket.upper - bucket.lower === 1 ? bucket.lower : (bucket.lower + bucket.upper) / 2;
}

/**
 * SQL that maps `expression` to its bucket index; `unit` is what one of the buckets' units is in
 * the expression's (bucket bounds are constants, never input).
 */
export function bucketSql(expression: string, buckets: readonly Bucket[], unit = 1): string {
  const cases = buckets.flatMap((bucket, index) => (bucket.upper === null ? [] : [`WHEN ${expression} < ${bucket.upper * unit} THEN ${index}`])).join(' ');
  return `CASE ${cases} ELSE ${buckets.length - 1} END`;
}

/** Mean of the bucket representatives weighted by the counts; null when the histogram is empty. */
export function histogramMean(buckets: readonly Bucket[], counts: readonly number[]): number | null {
  let total = 0;
  let sum = 0;
  buckets.forEach((bucket, index) => {
    const count = counts[index] ?? 0;
    total += count;
    sum += count * representative(bucket);
  });
  return total > 0 ? sum / total : null;
}

/** Representative of the bucket holding the (lower) median; null when the histogram is empty. */
export function histogramMedian(buckets: readonly Bucket[], counts: readonly number[]): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= 0) return null;
  let cumulative = 0;
  for (const [index, bucket] of buckets.entries()) {
    cumulative += counts[index] ?? 0;
    if (cumulative >= total / 2) return representative(bucket);
  }
  return representative(buckets[buckets.length - 1]!);
}
