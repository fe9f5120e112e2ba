import type { BaseContext, CatalogueClient, Identity } from '@serendip/federation';
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
    /** Products known to the catalogue, for validating writes. */
    product: ReturnType<CatalogueClient['loader']>;
  };
  reviews: ReviewService;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, reviews: ReviewService, catalogue: CatalogueClient) {
  return (identity: Identity): FeedbackContext => ({
    identity,
    reviews,
    loaders: {
      review: createReviewLoader(dataSource),
      productReviews: ownerLoaders(dataSource, 'product'),
      userReviews: { page: createReviewPageLoader(dataSource, 'user') },
      product: catalogue.loader(),
    },
  });
}
