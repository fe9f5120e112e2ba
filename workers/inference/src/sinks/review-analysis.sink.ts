import type { MysqlSettings } from '@serendip/db';
import type { AnalyseReviewResult } from '@serendip/jobs';
import { openFeedbackDataSource, ReviewAnalysisStore } from '@serendip/subgraph-feedback';
import type { DataSource } from 'typeorm';
import { MicroBatcher } from '../micro-batcher';

/**
 * Stores review analyses in the feedback database through the feedback subgraph's own store, as
 * part of the job (a database fault retries the job), rows of concurrent jobs in one statement;
 * and marks a review FAILED when its job has used up its attempts, so it shows as unanalysed
 * rather than pending for ever.
 */
export class ReviewAnalysisSink {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly analyses: ReviewAnalysisStore,
    private readonly batcher: MicroBatcher<AnalyseReviewResult, void>,
  ) {}

  static async open(settings: MysqlSettings, batch: { maxSize: number; maxWaitMs: number }): Promise<ReviewAnalysisSink> {
    const { dataSource } = await openFeedbackDataSource(settings);
    const store = new ReviewAnalysisStore(dataSource);
    const batcher = new MicroBatcher<AnalyseReviewResult, void>(async (results) => {
      await store.saveResults(
        results.map((result) => ({
          reviewId: result.reviewId,
          language: result.language,
          sentiment: { label: result.sentiment.label, score: result.sentiment.score, scores: result.sentiment.scores },
          embedding: Float32Array.from(result.embedding.embedding),
          aspects: result.aspects,
          terms: result.terms,
          keywords: result.keywords,
          model: result.sentiment.model,
          version: result.sentiment.version,
        })),
        new Date(),
      );
      return results.map(() => undefined);
    }, batch);
    return new ReviewAnalysisSink(dataSource, store, batcher);
  }

  store(result: AnalyseReviewResult): Promise<void> {
    return this.batcher.submit(result);
  }

  failed(reviewId: string, error: string): Promise<void> {
    return this.analyses.markFailed(reviewId, error, new Date());
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
