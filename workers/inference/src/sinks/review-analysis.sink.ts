import type { AnalyseReviewResult } from '@serendip/jobs';

/**
 * Where analyse-review jobs keep their analyses (the feedback database; the feedback subgraph
 * owns the implementation), as part of the job, so a database fault retries the job.
 */
export interface ReviewAnalysisSink {
  /** Resolves once every analysis is stored; an analysis of a review deleted meanwhile is dropped. */
  store(results: readonly AnalyseReviewResult[]): Promise<void>;
  /** Marks a review whose job has used up its attempts, so it shows as unanalysed rather than pending for ever. */
  failed(reviewId: string, error: string): Promise<void>;
  close(): Promise<void>;
}
