import { badInput, requireService } from '@serendip/federation';
import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { FeedbackContext } from '../context';

@ObjectType('ForgottenReviews', { description: "What forgetting deleted of one shopper's reviews." })
export class ForgottenReviews {
  @Field(() => Int, { description: 'Reviews, with their analyses.' })
  reviews!: number;

  @Field(() => Int, { description: 'Queued or kept analysis jobs.' })
  jobs!: number;
}

@Resolver()
export class FeedbackPrivacyResolver {
  @Directive('@inaccessible')
  @Mutation(() => ForgottenReviews, { description: "Service only: deletes a shopper's reviews (forgetMe). Idempotent." })
  async forgetReviewer(@Arg('userId', () => ID) userId: string, @Ctx() ctx: FeedbackContext): Promise<ForgottenReviews> {
    requireService(ctx, 'forgetting');
    const id = userId.trim();
    if (id.length < 1 || id.length > 36) throw badInput('userId must be a user id', 'userId');
    return ctx.privacy.forget(id);
  }
}
