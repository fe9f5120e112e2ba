/**
 * Pure ranking metrics of pnpm eval:search (scripts/eval-search.ts) over graded judgements
 * (scripts/eval/search-judgements.ts): a ranking is a list of skus, best first; grades are 1 or 2,
 * unlisted = not relevant. scripts/eval/topn-metrics.ts scores one held-out item per user; these
 * score many relevant products with grades.
 */

/** The ranking with the ignored products taken out, the rest in order (they count neither way). */
export const withoutIgnored = (ranked: readonly string[], ignored: ReadonlySet<string>): string[] => ranked.filter((sku) => !ignored.has(sku));

/** Gain of a grade: 2^grade − 1 (Burges et al.), so a grade-2 product weighs three grade-1 ones. */
const gain = (grade: number): number => 2 ** grade - 1;

/** Σ gain / log2(position + 1) over the first k positions (1-based). */
function dcg(grades: readonly number[], k: number): number {
  let sum = 0;
  grades.slice(0, k).forEach((grade, index) => {
    sum += gain(grade) / Math.log2(index + 2);
  });
  return sum;
}

/** nDCG@k: the ranking's DCG over the DCG of the best possible ranking of the judged products; 0 when nothing is relevant. */
export function ndcgAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k: number): number {
  const ideal = dcg(
    [...grades.values()].filter((grade) => grade > 0).sort((a, b) => b - a),
    k,
  );
  if (ideal === 0) return 0;
  return (
    dcg(
      ranked.map((sku) => grades.get(sku) ?? 0),
      k,
    ) / ideal
  );
}

/**
 * Recall@k: relevant products (grade ≥ 1) in the first k over min(k, relevant products), so a query
 * with more relevant products than k can still reach 1; 0 when nothing is relevant.
 */
export function recallAt(ranked: readonly string[], grades: ReadonlyMap<string, number>, k: number): number {
  let relevant = 0;
  for (const grade of grades.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  const found = ranked.slice(0, k).filter((sku) => (grades.get(sku) ?? 0) > 0).length;
  return found / Math.min(k, relevant);
}

/** The arithmetic mean; NaN for no values, so an empty group shows as such instead of as 0. */
export const mean = (values: readonly number[]): number => (values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length);
