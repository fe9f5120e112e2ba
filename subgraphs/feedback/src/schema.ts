import { buildFederatedSchema } from '@serendip/federation';
import { ReviewAnalysisResolver } from './analysis/review-analysis.resolver';
import { ProductReviewsResolver } from './product/product.resolver';
import { resolveReviewReference } from './review/review.reference';
import { ReviewResolver } from './review/review.resolver';
import { UserReviewsResolver } from './user/user.resolver';

export const buildFeedbackSchema = () =>
  buildFederatedSchema({
    resolvers: [ReviewResolver, ReviewAnalysisResolver, ProductReviewsResolver, UserReviewsResolver],
    references: { Review: { __resolveReference: resolveReviewReference } },
  });
