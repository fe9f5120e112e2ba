import type { MysqlSettings } from '@serendip/db';
import type { DataSource } from 'typeorm';
import { openFeedbackDataSource } from '../data-source';
import { ReviewStore } from './review.store';

/**
 * A shopper's low-rated reviews for the inference worker's interest updates, read from the
 * feedback database on a connection of its own (the worker's LowRatedReviewSource).
 */
export class FeedbackReviewSource {
  private constructor(
    private readonly dataSource: DataSource,
    private readonly reviews: ReviewStore,
  ) {}

  static async open(settings: MysqlSettings): Promise<FeedbackReviewSource> {
    const { dataSource } = await openFeedbackDataSource(settings);
    return new FeedbackReviewSource(dataSource, new ReviewStore(dataSource));
  }

  lowRated(userId: string, maxRating: number): Promise<{ productId: string; rating: number; createdAt: Date }[]> {
    return this.reviews.lowRated(userId, maxRating);
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}
