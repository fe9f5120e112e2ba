/**
 * Pure top-N metrics for pnpm eval:topn (scripts/eval-topn.ts): full-ranking accuracy of one held-out
 * item per user, and beyond-accuracy figures of the recommended lists. Items are integer ids that
 * index the score and count arrays.
 */

/**
 * The order every method ranks by: higher score first, equal scores by `tiebreak` (lower first).
 * A seeded random permutation as tiebreak spreads ties fairly; breaking them by id would favour
 * whatever the ids encode (here: order of first appearance), and counting only strictly higher
 * scores would hand a tied target the best rank.
 */
const ahead = (scores: ArrayLike<number>, tiebreak: ArrayLike<number>, a: number, b: number): boolean =>
  scores[a]! > scores[b]! || (scores[a] === scores[b] && tiebreak[a]! < tiebreak[b]!);

/**
 * 0-based position of `target` among all items `first`…`scores.length − 1` that `excluded` does not
 * mark, or null when the target itself is excluded (it can never be recommended).
 */
export function rankOf(scores: ArrayLike<number>, target: number, excluded: ArrayLike<number>, tiebreak: ArrayLike<number>, first = 0): number | null {
  if (excluded[target]) return null;
  let rank = 0;
  for (let item = first; item < scores.length; item++) {
    if (item !== target && !excluded[item] && ahead(scores, tiebreak, item, target)) rank++;
  }
  return rank;
}

/** 0-based position of `target` among fixed `candidates` (the target need not be listed), in the same order as `rankOf`. */
export function rankAmong(scores: ArrayLike<number>, target: number, candidates: readonly number[], tiebreak: ArrayLike<number>): number {
  let rank = 0;
  for (const item of candidates) if (item !== target && ahead(scores, tiebreak, item, target)) rank++;
  return rank;
}

/** The `k` best items in the same order as `rankOf`, best first. */
export function topK(scores: ArrayLike<number>, k: number, excluded: ArrayLike<number>, tiebreak: ArrayLike<number>, first = 0): number[] {
  const best: number[] = [];
  for (let item = first; item < scores.length; item++) {
    if (excluded[item]) continue;
    if (best.length === k && !ahead(scores, tiebreak, item, best[k - 1]!)) continue;
    let position = best.length === k ? k - 1 : best.length;
    while (position > 0 && ahead(scores, tiebreak, item, best[position - 1]!)) {
      best[position] = best[position - 1]!;
      position--;
    }
    best[position] = item;
  }
  return best;
}

/** 1 when the target is in the first k (0-based rank < k), else 0; null (excluded target) is a miss. */
export const hitRate = (rank: number | null, k: number): number => (rank !== null && rank < k ? 1 : 0);

/** With one relevant item the ideal DCG is 1, so NDCG@k = 1 / log2(rank + 2) inside the first k. */
export const ndcg = (rank: number | null, k: number): number => (rank !== null && rank < k ? 1 / Math.log2(rank + 2) : 0);

/**
 * A per-user figure's mean over `count` users and the half-width of its 95% interval (normal
 * approximation, population variance), from the sum and the sum of squares; for a 0/1 figure such
 * as HR the squares are the sum itself.
 */
export function meanInterval(sum: number, squares: number, count: number): { mean: number; halfWidth: number } {
  const mean = sum / count;
  // Rounding can leave a tiny negative variance when every user scores the same.
  return { mean, halfWidth: 1.96 * Math.sqrt(Math.max(0, squares / count - mean ** 2) / count) };
}

/** How often each item appears over all lists, indexed by item id (array length `itemSlots`). */
export function exposure(lists: readonly (readonly number[])[], itemSlots: number): Float64Array {
  const counts = new Float64Array(itemSlots);
  for (const list of lists) for (const item of list) counts[item]!++;
  return counts;
}

/** Share of the catalogue recommended to anyone: distinct items over all lists / catalogue size. */
export function catalogueCoverage(lists: readonly (readonly number[])[], catalogueSize: number): number {
  const seen = new Set<number>();
  for (const list of lists) for (const item of list) seen.add(item);
  return catalogueSize > 0 ? seen.size / catalogueSize : 0;
}

/**
 * Gini coefficient of exposure over the whole catalogue (pass every item, unrecommended ones as 0):
 * 0 when every item is shown equally often, (n − 1)/n when one item takes all exposure.
 * G = Σ (2i − n − 1) x_(i) / (n Σ x), x sorted ascending, i = 1…n.
 */
export function gini(counts: ArrayLike<number>): number {
  const sorted = Float64Array.from(counts).sort();
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  sorted.forEach((value, index) => {
    total += value;
    weighted += (2 * (index + 1) - n - 1) * value;
  });
  return total > 0 ? weighted / (n * total) : 0;
}

/**
 * Mean self-information of the recommended items, −log2 share, where `share(item)` is the item's
 * popularity share in (0, 1]: higher means less popular, more novel items.
 */
export function novelty(lists: readonly (readonly number[])[], share: (item: number) => number): number {
  let sum = 0;
  let count = 0;
  for (const list of lists) {
    for (const item of list) {
      const value = share(item);
      if (!(value > 0 && value <= 1)) throw new RangeError(`popularity share of item ${item} must be in (0, 1], got ${value}`);
      sum -= Math.log2(value);
      count++;
    }
  }
  return count > 0 ? sum / count : 0;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

/**
 * Mean pairwise dissimilarity (1 − cosine) within one list; a list of fewer than two items has
 * no pairs and counts 0. Zero vectors (no text) are taken as unrelated to everything.
 */
export function intraListDiversity(list: readonly number[], vectorOf: (item: number) => Float32Array): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      sum += 1 - cosine(vectorOf(list[i]!), vectorOf(list[j]!));
      pairs++;
    }
  }
  return pairs > 0 ? sum / pairs : 0;
}
