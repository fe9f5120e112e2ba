import type { DatabaseAccountSettings } from '@serendip/db';
import { PublicDataVersions } from '@serendip/federation';
import { embeddingVector, type AnalyseReviewResult } from '@serendip/jobs';
import type { DataSource } from 'typeorm';
import { openFeedbackDataSource } from '../data-source';
import { ReviewStore } from '../review/review.store';
import { ReviewAnalysisStore } from './review-analysis.store';

/**
 * The inference worker's access to the feedback database, through its own stores, on one
 * connection of the worker's: where analyse-review jobs store their analyses (the worker's
 * ReviewAnalysisSink), and where interest updates read a shopper's low-rated reviews (its
 * LowRatedReviewSource).
 */
export class WorkerReviews {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly analyses: ReviewAnalysisStore,
    private readonly reviews: ReviewStore,
    private readonly publicData: ReturnType<typeof PublicDataVersions.open>,
  ) {}

  static async open(settings: DatabaseAccountSettings<'feedback'> & { REDIS_URL: string; QUEUE_PREFIX: string }): Promise<WorkerReviews> {
    const { dataSource } = await openFeedbackDataSource(settings);
    return new WorkerReviews(
      dataSource,
      new ReviewAnalysisStore(dataSource),
      new ReviewStore(dataSource),
      PublicDataVersions.open(settings.REDIS_URL, settings.QUEUE_PREFIX),
    );
  }

  /** One statement for all of them; analyses of reviews deleted meanwhile are dropped. */
  async store(results: readonly AnalyseReviewResult[]): Promise<void> {
    await this.analyses.saveResults(
      results.map((result) => ({
        reviewId: result.reviewId,
        language: result.language,
        sentiment: { label: result.sentiment.label, score: result.sentiment.score, scores: result.sentiment.scores },
        embedding: embeddingVector(result.embedding),
        aspects: result.aspects,
        terms: result.terms,
        keywords: result.keywords,
        model: result.sentiment.model,
        version: result.sentiment.version,
      })),
      new Date(),
    );
    // Analyses are public (`Review.analysis`, `Product.feedbackSummary`).
    await this.publicData.versions.bump('feedback');
  }

  /** Marks the review FAILED (unless an analysis is already stored), so it shows as unanalysed rather than pending for ever. */
  async failed(reviewId: string, error: string): Promise<void> {
    await this.analyses.markFailed(reviewId, error, new Date());
    await this.publicData.versions.bump('feedback');
  }

  lowRated(userId: string, maxRating: number): Promise<{ productId: string; rating: number; createdAt: Date }[]> {
    return this.reviews.lowRated(userId, maxRating);
  }

  async close(): Promise<void> {
    this.publicData.close();
    await this.dataSource.destroy();
  }
}
