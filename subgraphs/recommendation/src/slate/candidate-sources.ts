import { segmentContext } from '@serendip/recsys';

/**
 * Candidate sources and how much each counts in the exploit score. Interest, co-occurrence,
 * transitions and trending were chosen on Amazon Beauty's validation items (`pnpm eval:topn` with
 * EVAL_TOPN_TARGET=validation EVAL_TOPN_FUSION_GRID=1; docs/evaluation.md): transitions beside
 * co-occurrence beat either alone. Trending stays at 0.4 although 0.1 tied on that item (0.0003
 * NDCG@10 apart): with fresh it orders a newcomer's slate, which the file cannot measure. The
 * sequence model's weight, 1.6, was chosen among 0.8 / 1.6 / 3.2 / 6.4 on the validation item of a
 * 6,000-user sample with the other weights as they are (docs/evaluation.md, "The sequence model").
 */
export const SOURCE_WEIGHTS = { interest: 1, 'co-occurrence': 0.8, transitions: 1.6, sequence: 1.6, trending: 0.4, fresh: 0.2 } as const;
export type CandidateSource = keyof typeof SOURCE_WEIGHTS;
/** The sources, in the order their scores appear in the policy's context features. */
export const FEATURE_SOURCES = Object.keys(SOURCE_WEIGHTS) as CandidateSource[];

/**
 * LinUCB's starting θ over the features [bias, exploit score, each source's normalised score],
 * then the same per shopper segment (segmentContext): all weight on the shared exploit score, so
 * an untrained slot serves the fused ranking to every segment.
 */
export const LINUCB_PRIOR: readonly number[] = segmentContext([0, 1, ...FEATURE_SOURCES.map(() => 0)], null);
