/**
 * Percentile bootstrap intervals for the evaluations: of one figure over its rows (eval:sentiment's
 * accuracy and macro-F1), and paired, for comparisons over the same units (eval:search's modes over
 * the same queries, eval:behaviour's audiences against popularity over the same products), where
 * every column is resampled at the same units, so what two methods share (an easy query is easy
 * for both) cancels out of their difference instead of widening its interval.
 */
import { seededRng } from '../../packages/recsys/src';

export interface Interval {
  /** The statistic on the whole sample. */
  value: number;
  low: number;
  high: number;
}

/** Nearest-rank quantile of unsorted values; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * `statistic` of the units (0 … units − 1) on the whole sample, and its central `confidence`
 * percentile interval over `resamples` resamples of them with replacement. Seeded, so a run
 * repeats its interval. For statistics that are no mean of per-unit values (macro-F1).
 */
export function bootstrapInterval(
  units: number,
  statistic: (indices: readonly number[]) => number,
  options: { resamples: number; seed: number; confidence?: number },
): Interval {
  const all = Array.from({ length: units }, (_, index) => index);
  const rng = seededRng(options.seed);
  const values = Array.from({ length: options.resamples }, () => statistic(all.map(() => Math.floor(rng() * units))));
  const tail = (1 - (options.confidence ?? 0.95)) / 2;
  return { value: statistic(all), low: quantile(values, tail), high: quantile(values, 1 - tail) };
}

/**
 * `statistic` of the columns' means (one column per method, one row per unit), with its interval
 * from resampling the rows, every column at the same rows.
 */
export function pairedBootstrap(
  columns: readonly (readonly number[])[],
  statistic: (means: readonly number[]) => number,
  options: { resamples: number; seed: number; confidence?: number },
): Interval {
  const rows = columns[0]?.length ?? 0;
  if (columns.some((column) => column.length !== rows)) throw new Error('pairedBootstrap: every column needs one value per unit');
  const meansOver = (indices: readonly number[]) =>
    columns.map((column) => (indices.length === 0 ? Number.NaN : indices.reduce((sum, index) => sum + column[index]!, 0) / indices.length));
  return bootstrapInterval(rows, (indices) => statistic(meansOver(indices)), options);
}
