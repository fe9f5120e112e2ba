import { badInput, pageSize, requireSelfOrAdmin } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import type { FeedbackContext } from '../context';
import { DEFAULT_REVIEW_PAGE } from '../review/review.connection';
import { toReview } from '../review/review.mapper';
import { Review } from '../review/review.type';
import { UNAVAILABLE_FEEDBACK } from '../product/product.type';
import { UserRef } from './user.type';

@Resolver(() => UserRef)
export class UserReviewsResolver {
  /**
   * A plain list, so a storefront reads `me { reviews { … } }` directly; a shopper's own reviews
   * are few, and `after` (the last id seen) pages through the rest.
   */
  @FieldResolver(() => [Review], {
    nullable: true,
    description: `Reviews the shopper wrote, newest first. The shopper themselves or an admin only.${UNAVAILABLE_FEEDBACK}`,
  })
  async reviews(
    @Root() user: UserRef,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_REVIEW_PAGE, description: 'At most 100.' }) first: number | null,
    @Arg('after', () => ID, { nullable: true, description: 'Id of the last review already seen.' }) after: string | null,
    @Ctx() ctx: FeedbackContext,
  ): Promise<Review[]> {
    requireSelfOrAdmin(ctx, user.id);
    if (after && !isRowId(after)) throw badInput('after must be the id of a review', 'after');
    const page = await ctx.loaders.userReviews.page.load({
      ownerId: user.id,
      first: pageSize(first ?? DEFAULT_REVIEW_PAGE),
      beforeId: after ?? null,
    });
    return page.rows.map(toReview);
  }
}
