/** One ranked list's entry: a product and its score within that list. */
export interface RankedHit {
  productId: string;
  score: number;
}

export interface FusedHit {
  productId: string;
  /** The fused score: what each list that holds the product gives it, summed. */
  score: number;
  /** The names of the lists that hold it, in the order the lists were given. */
  matchedBy: string[];
}

export interface WeightedList {
  name: string;
  hits: readonly RankedHit[];
  weight: number;
}

/**
 * Sums what each list gives a product (`share` of its hit at a 0-based rank), best first. A list
 * naming a product twice counts its first (best) entry only; ties keep the order in which the lists,
 * first list first, named the products.
 */
function fuse(lists: readonly WeightedList[], share: (list: WeightedList, hit: RankedHit, rank: number) => number): FusedHit[] {
  const fused = new Map<string, FusedHit & { order: number }>();
  let order = 0;
  for (const list of lists) {
    const seen = new Set<string>();
    list.hits.forEach((hit, rank) => {
      if (seen.has(hit.productId)) return;
      seen.add(hit.productId);
      const entry = fused.get(hit.productId) ?? { productId: hit.productId, score: 0, matchedBy: [], order: order++ };
      entry.score += share(list, hit, rank);
      entry.matchedBy.push(list.name);
      fused.set(hit.productId, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.order - b.order).map(({ productId, score, matchedBy }) => ({ productId, score, matchedBy }));
}

/**
 * Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each list gives a product
 * weight / (k + rank), rank from 1, summed over lists, so lists whose scores live on different
 * scales (FULLTEXT relevance, cosine) combine without calibration, and agreement between them lifts
 * a product above either list's own best.
 */
export function reciprocalRankFusion(lists: readonly WeightedList[], k = 60): FusedHit[] {
  return fuse(lists, (list, _hit, rank) => list.weight / (k + rank + 1));
}

/**
 * Convex combination of scores (Bruch, Gai and Ingber, 2023, "An Analysis of Fusion Functions for
 * Hybrid Retrieval"): each list gives a product weight × its score, a list that lacks the product
 * nothing. Unlike RRF it keeps how far apart two hits are, not only their order: a product whose
 * words match nearly as well as the best one's and whose meaning is closer passes it, where a
 * rank-only fusion cannot tell a near tie from a wide gap. The lists' scores must be on scales that
 * can be added: relevance over the list's best (`relativeToBest`), cosine. Not @serendip/recsys'
 * `fuseScores`: it min-max-normalises each list, which stretches any 50 cosines to [0, 1] however
 * far the query is from all of them, so a list of poor matches would weigh as much as a close one.
 */
export function convexCombination(lists: readonly WeightedList[]): FusedHit[] {
  return fuse(lists, (list, hit) => list.weight * hit.score);
}

/** Each hit's score over the list's best, in [0, 1] when the scores are positive (FULLTEXT relevance, substring points). */
export function relativeToBest<T extends RankedHit>(hits: readonly T[]): T[] {
  const best = hits.reduce((max, hit) => Math.max(max, hit.score), 0);
  return hits.map((hit) => ({ ...hit, score: best > 0 ? hit.score / best : 0 }));
}
