import { scoreItems, type SequenceModel } from './sequence-model';

/** One history and the item that followed it, both in the model's item ids (0 for an item it does not know). */
export interface NextItemCase {
  history: readonly number[];
  target: number;
}

/** History lengths metrics are broken down by: a shop's newest shoppers have the shortest histories. */
export const HISTORY_BUCKETS = [
  { label: '1', max: 1 },
  { label: '2-4', max: 4 },
  { label: '5-9', max: 9 },
  { label: '10+', max: Number.POSITIVE_INFINITY },
] as const;

export const historyBucketOf = (length: number): number => HISTORY_BUCKETS.findIndex((bucket) => length <= bucket.max);

export interface HitRates {
  hr10: number;
  ndcg10: number;
  cases: number;
}

export interface NextItemMetrics extends HitRates {
  /** The same per history length (HISTORY_BUCKETS, in order; a history of no known product counts as 1). */
  byHistory: (HitRates & { history: string })[];
}

/**
 * HR@10 and NDCG@10 of each case's next item under full ranking (every item the model knows,
 * the history's own items excluded, as the trainer validates). A target the model does not know
 * counts as a miss: a version trained before a product existed cannot recommend it; so does a
 * target already in the history, which slates never serve again (they exclude what was seen).
 */
export async function nextItemMetrics(model: Pick<SequenceModel, 'card' | 'vectors' | 'queries'>, cases: readonly NextItemCase[]): Promise<NextItemMetrics> {
  const totals = HISTORY_BUCKETS.map(() => ({ hits: 0, ndcg: 0, cases: 0 }));
  const { dim, items } = model.card;
  const queries = cases.length > 0 ? await model.queries(cases.map((item) => item.history)) : new Float32Array(0);
  const scores = new Float32Array(items + 1);
  cases.forEach(({ history, target }, index) => {
    const bucket = totals[historyBucketOf(Math.max(history.length, 1))]!;
    bucket.cases++;
    const seen = new Set(history);
    if (target < 1 || target > items || seen.has(target)) return;
    scoreItems(model, queries.subarray(index * dim, (index + 1) * dim), scores);
    const targetScore = scores[target]!;
    let rank = 0;
    for (let item = 1; item <= items && rank < 10; item++) {
      if (item !== target && !seen.has(item) && scores[item]! > targetScore) rank++;
    }
    if (rank < 10) {
      bucket.hits++;
      bucket.ndcg += 1 / Math.log2(rank + 2);
    }
  });
  const rates = (total: { hits: number; ndcg: number; cases: number }): HitRates => ({
    hr10: total.cases > 0 ? total.hits / total.cases : 0,
    ndcg10: total.cases > 0 ? total.ndcg / total.cases : 0,
    cases: total.cases,
  });
  const all = totals.reduce((sum, total) => ({ hits: sum.hits + total.hits, ndcg: sum.ndcg + total.ndcg, cases: sum.cases + total.cases }), {
    hits: 0,
    ndcg: 0,
    cases: 0,
  });
  return { ...rates(all), byHistory: totals.map((total, bucket) => ({ history: HISTORY_BUCKETS[bucket]!.label, ...rates(total) })) };
}
