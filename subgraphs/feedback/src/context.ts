import { rowLoader, type BaseContext, type CatalogueClient, type Identity } from '@serendip/federation';
import type { FeedbackSummary } from '@serendip/text';
import DataLoader from 'dataloader';
import type { ReviewAnalysisEntity } from './analysis/review-analysis.entity';
import type { ReviewAnalysisStore } from './analysis/review-analysis.store';
import type { DataSource } from 'typeorm';
import type { FeedbackInsightsService } from './insights/feedback-insights.service';
import type { InsightsStore } from './insights/insights.store';
import type { FeedbackPrivacy } from './privacy/feedback-privacy.service';
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
    feedbackSummary: DataLoader<string, FeedbackSummary>;
    /** Products known to the catalogue, for validating writes. */
    product: ReturnType<CatalogueClient['loader']>;
  };
  reviews: ReviewService;
  insights: FeedbackInsightsService;
  insightsStore: InsightsStore;
  privacy: FeedbackPrivacy;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(
  dataSource: DataSource,
  reviews: ReviewService,
  catalogue: CatalogueClient,
  analyses: ReviewAnalysisStore,
  insights: FeedbackInsightsService,
  insightsStore: InsightsStore,
  privacy: FeedbackPrivacy,
) {
  return (identity: Identity): FeedbackContext => ({
    identity,
    reviews,
    insights,
    insightsStore,
    privacy,
    loaders: {
      review: createReviewLoader(dataSource),
      analysis: rowLoader(
        (ids: readonly string[]) => analyses.load(ids),
        (row) => String(row.reviewId),
      ),
      productReviews: ownerLoaders(dataSource, 'product'),
      userReviews: { page: createReviewPageLoader(dataSource, 'user') },
      feedbackSummary: new DataLoader((productIds: readonly string[]) => insights.productSummaries(productIds)),
      product: catalogue.loader(),
    },
  });
}
