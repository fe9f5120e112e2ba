import { requireUser } from '@serendip/federation';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { FeedbackContext } from '../context';
import { forgottenError } from '../privacy/feedback-privacy.service';
import { SubmitReviewInput } from './dto/submit-review.input';
import { toReview } from './review.mapper';
import { Review } from './review.type';

@Resolver(() => Review)
export class ReviewResolver {
  @Query(() => Review, { nullable: true, description: 'A review by id, or null when there is none.' })
  async review(@Arg('id', () => ID) id: string, @Ctx() ctx: FeedbackContext): Promise<Review | null> {
    const review = await ctx.loaders.review.load(id);
    return review ? toReview(review) : null;
  }

  @Mutation(() => Review, { description: 'The signed-in shopper reviews a product; one review per shopper and product.' })
  async submitReview(@Arg('input', () => SubmitReviewInput) input: SubmitReviewInput, @Ctx() ctx: FeedbackContext): Promise<Review> {
    const userId = requireUser(ctx);
    const review = await ctx.reviews.submit(userId, input, ctx.loaders.product);
    // Forgotten while this review was written: whichever committed last, it does not stay.
    if (await ctx.privacy.isForgotten(userId)) {
      await ctx.privacy.forget(userId);
      throw forgottenError();
    }
    return toReview(review);
  }
}
