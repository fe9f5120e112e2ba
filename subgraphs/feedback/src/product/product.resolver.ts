import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from '../context';
import { DEFAULT_REVIEW_PAGE, loadReviewConnection } from '../review/review.connection';
import { RatingSummary, ReviewConnection } from '../review/review.type';
import { ProductRef, UNAVAILABLE_FEEDBACK } from './product.type';

@Resolver(() => ProductRef)
export class ProductReviewsResolver {
  @FieldResolver(() => ReviewConnection, { nullable: true, description: `The product's reviews, newest first. Public.${UNAVAILABLE_FEEDBACK}` })
  reviews(
    @Root() product: ProductRef,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_REVIEW_PAGE, description: 'At most 100.' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: FeedbackContext,
  ): Promise<ReviewConnection> {
    return loadReviewConnection(ctx, product.id, first, after);
  }

  @FieldResolver(() => RatingSummary, { nullable: true, description: `Mean rating and number of reviews.${UNAVAILABLE_FEEDBACK}` })
  async ratingSummary(@Root() product: ProductRef, @Ctx() ctx: FeedbackContext): Promise<RatingSummary> {
    return ctx.loaders.productReviews.stats.load(product.id);
  }
}
