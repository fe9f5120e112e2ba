import { badInput, requireService } from '@serendip/federation';
import { Arg, Ctx, Directive, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';

@ObjectType('ForgottenBehaviour', { description: "What forgetting deleted of one shopper's behaviour data." })
export class ForgottenBehaviour {
  @Field(() => Int)
  events!: number;

  @Field(() => Int)
  interestProfiles!: number;

  @Field(() => Int, { description: 'Logged recommendation slates, with their items.' })
  slates!: number;

  @Field(() => Int, { description: 'Queued or kept interest-update jobs.' })
  jobs!: number;
}

/** Shopper ids are the user subgraph's UUIDs; anything longer cannot name one. */
const requireUserId = (userId: string): string => {
  const id = userId.trim();
  if (id.length < 1 || id.length > 36) throw badInput('userId must be a user id', 'userId');
  return id;
};

@Resolver()
export class PrivacyResolver {
  @Directive('@inaccessible')
  @Mutation(() => Boolean, {
    description: "Service only: the user subgraph records a shopper's personalisation consent here, where it is enforced.",
  })
  async recordConsent(
    @Arg('userId', () => ID) userId: string,
    @Arg('personalisation', () => Boolean) personalisation: boolean,
    @Ctx() ctx: RecommendationContext,
  ): Promise<boolean> {
    requireService(ctx, 'consent records');
    await ctx.privacy.setConsent(requireUserId(userId), personalisation);
    return true;
  }

  @Directive('@inaccessible')
  @Mutation(() => ForgottenBehaviour, { description: "Service only: deletes a shopper's behaviour data here (forgetMe). Idempotent." })
  async forgetShopper(@Arg('userId', () => ID) userId: string, @Ctx() ctx: RecommendationContext): Promise<ForgottenBehaviour> {
    requireService(ctx, 'forgetting');
    return ctx.privacy.forget(requireUserId(userId));
  }
}
