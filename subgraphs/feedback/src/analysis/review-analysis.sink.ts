import type { MysqlSettings } from '@serendip/db';
import type { AnalyseReviewResult } from '@serendip/jobs';
import type { DataSource } from 'typeorm';
import { openFeedbackDataSource } from '../data-source';
import { ReviewAnalysisStore } from './review-analysis.store';

/**
 * Where the inference worker's analyse-review jobs store their analyses: the feedback database,
 * through its own store, on a connection of its own (the worker's ReviewAnalysisSink).
 */
export class FeedbackAnalysisSink {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly analyses: ReviewAnalysisStore,
  ) {}

  static async open(settings: MysqlSettings): Promise<FeedbackAnalysisSink> {
    const { dataSource } = await openFeedbackDataSource(settings);
    return new FeedbackAnalysisSink(dataSource, new ReviewAnalysisStore(dataSource));
  }

  /** One statement for all of them; analyses of reviews deleted meanwhile are dropped. */
  async store(results: readonly AnalyseReviewResult[]): Promise<void> {
    await this.analyses.saveResults(
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
  }

  /** Marks the review FAILED (unless an analysis is already stored), so it shows as unanalysed rather than pending for ever. */
  failed(reviewId: string, error: string): Promise<void> {
    return this.analyses.markFailed(reviewId, error, new Date());
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
