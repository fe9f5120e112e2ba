import { scoreItems, type SequenceModel } from './sequence-model';

/** One history and the item that followed it, both in the model's item ids (0 for an item it does not know). */
export interface NextItemCase {
  history: readonly number[];
  target: number;
}

export interface NextItemMetrics {
  hr10: number;
  ndcg10: number;
  cases: number;
}

/**
 * HR@10 and NDCG@10 of each case's next item under full ranking (every item the model knows,
 * the history's own items excluded, as the trainer validates). A target the model does not know
 * counts as a miss: a version trained before a product existed cannot recommend it; so does a
 * target already in the history, which slates never serve again (they exclude what was seen).
 */
export async function nextItemMetrics(model: Pick<SequenceModel, 'card' | 'vectors' | 'queries'>, cases: readonly NextItemCase[]): Promise<NextItemMetrics> {
  if (cases.length === 0) return { hr10: 0, ndcg10: 0, cases: 0 };
  const { dim, items } = model.card;
  const queries = await model.queries(cases.map((item) => item.history));
  const scores = new Float32Array(items + 1);
  let hits = 0;
  let ndcg = 0;
  cases.forEach(({ history, target }, index) => {
    const seen = new Set(history);
    if (target < 1 || target > items || seen.has(target)) return;
    scoreItems(model, queries.subarray(index * dim, (index + 1) * dim), scores);
    const targetScore = scores[target]!;
    let rank = 0;
    for (let item = 1; item <= items && rank < 10; item++) {
      if (item !== target && !seen.has(item) && scores[item]! > targetScore) rank++;
    }
    if (rank < 10) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
  });
  return { hr10: hits / cases.length, ndcg10: ndcg / cases.length, cases: cases.length };
}
