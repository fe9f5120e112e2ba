/** One ranked list's entry: a product and its score within that list. */
export interface RankedHit {
  productId: string;
  score: number;
}

export interface FusedHit {
  productId: string;
  /** Σ weight / (k + rank) over the lists that hold the product (rank from 1). */
  score: number;
  /** The names of the lists that hold it, in the order the lists were given. */
  matchedBy: string[];
}

/**
 * Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each list gives a product
 * weight / (k + rank), summed over lists, so lists whose scores live on different scales (FULLTEXT
 * relevance, cosine) combine without calibration, and agreement between them lifts a product above
 * either list's own best. Ties keep the order of the first list that ranks the product.
 */
export function reciprocalRankFusion(lists: readonly { name: string; hits: readonly RankedHit[]; weight: number }[], k = 60): FusedHit[] {
  const fused = new Map<string, FusedHit & { order: number }>();
  let order = 0;
  for (const list of lists) {
    const seen = new Set<string>();
    list.hits.forEach((hit, index) => {
      // A list naming a product twice counts its best rank only.
      if (seen.has(hit.productId)) return;
      seen.add(hit.productId);
      const entry = fused.get(hit.productId) ?? { productId: hit.productId, score: 0, matchedBy: [], order: order++ };
      entry.score += list.weight / (k + index + 1);
      entry.matchedBy.push(list.name);
      fused.set(hit.productId, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.order - b.order).map(({ productId, score, matchedBy }) => ({ productId, score, matchedBy }));
}
