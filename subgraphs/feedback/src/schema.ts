import { buildFederatedSchema } from '@serendip/federation';
import { ReviewAnalysisResolver } from './analysis/review-analysis.resolver';
import { FeedbackInsightsResolver, ProductFeedbackResolver } from './insights/feedback-summary.resolver';
import { ReviewTallyResolver } from './insights/review-tally.resolver';
import { FeedbackPrivacyResolver } from './privacy/feedback-privacy.resolver';
import { ProductReviewsResolver } from './product/product.resolver';
import { resolveReviewReference } from './review/review.reference';
import { ReviewResolver } from './review/review.resolver';
import { UserReviewsResolver } from './user/user.resolver';

export const buildFeedbackSchema = () =>
  buildFederatedSchema({
    resolvers: [
      ReviewResolver,
      ReviewAnalysisResolver,
      ProductReviewsResolver,
      ProductFeedbackResolver,
      FeedbackInsightsResolver,
      ReviewTallyResolver,
      FeedbackPrivacyResolver,
      UserReviewsResolver,
    ],
    references: { Review: { __resolveReference: resolveReviewReference } },
  });
