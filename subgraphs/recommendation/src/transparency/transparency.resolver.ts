import { requireSelfOrAdmin, requireUser } from '@serendip/federation';
import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { UNAVAILABLE_RECOMMENDATION, UserRef } from '../user/user-ref.type';
import { BehaviourSummary } from './behaviour-summary.type';

@Resolver(() => UserRef)
export class TransparencyResolver {
  @FieldResolver(() => BehaviourSummary, {
    nullable: true,
    description: `What Serendip believes about the shopper (interests, removed interests) and the signals behind it. Visible to the shopper themselves and to admins.${UNAVAILABLE_RECOMMENDATION}`,
  })
  async behaviourSummary(@Root() user: UserRef, @Ctx() ctx: RecommendationContext): Promise<BehaviourSummary> {
    requireSelfOrAdmin(ctx, user.id);
    await ctx.privacy.requireNotForgotten(user.id);
    return ctx.transparency.summary(user.id);
  }

  @Mutation(() => BehaviourSummary, {
    description: "Removes one of the signed-in shopper's interests (its index in behaviourSummary.interests) now and from later recognitions.",
  })
  async removeInterest(@Arg('index', () => Int) index: number, @Ctx() ctx: RecommendationContext): Promise<BehaviourSummary> {
    const userId = requireUser(ctx);
    await ctx.privacy.requireNotForgotten(userId);
    return ctx.transparency.removeInterest(userId, index);
  }
}
