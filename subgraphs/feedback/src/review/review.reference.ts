import type { FeedbackContext } from '../context';
import { toReview } from './review.mapper';
import type { Review } from './review.type';

/** Resolves `Review` entities that other subgraphs reference by id. */
export async function resolveReviewReference(reference: Pick<Review, 'id'>, ctx: FeedbackContext): Promise<Review | null> {
  const review = await ctx.loaders.review.load(String(reference.id));
  return review ? toReview(review) : null;
}
