import { rowLoader, type BaseContext, type CatalogueClient, type Identity } from '@serendip/federation';
import type DataLoader from 'dataloader';
import type { ReviewAnalysisEntity } from './analysis/review-analysis.entity';
import type { ReviewAnalysisStore } from './analysis/review-analysis.store';
import type { DataSource } from 'typeorm';
import { createReviewLoader, createReviewPageLoader, createReviewStatsLoader, type ReviewOwner } from './review/review.loader';
import type { ReviewService } from './review/review.service';

function ownerLoaders(dataSource: DataSource, owner: ReviewOwner) {
  return { page: createReviewPageLoader(dataSource, owner), stats: createReviewStatsLoader(dataSource, owner) };
}

export interface FeedbackContext extends BaseContext {
  loaders: {
    review: ReturnType<typeof createReviewLoader>;
    productReviews: ReturnType<typeof ownerLoaders>;
    userReviews: { page: ReturnType<typeof createReviewPageLoader> };
    analysis: DataLoader<string, ReviewAnalysisEntity | null>;
    /** Products known to the catalogue, for validating writes. */
    product: ReturnType<CatalogueClient['loader']>;
  };
  reviews: ReviewService;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, reviews: ReviewService, catalogue: CatalogueClient, analyses: ReviewAnalysisStore) {
  return (identity: Identity): FeedbackContext => ({
    identity,
    reviews,
    loaders: {
      review: createReviewLoader(dataSource),
      analysis: rowLoader((ids: readonly string[]) => analyses.load(ids), (row) => String(row.reviewId)),
      productReviews: ownerLoaders(dataSource, 'product'),
      userReviews: { page: createReviewPageLoader(dataSource, 'user') },
      product: catalogue.loader(),
    },
  });
}
