import { pageSize, requireSelfOrAdmin } from '@serendip/federation';
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { BehaviourEvent } from '../event/behaviour-event.type';
import { MAX_RECENT_EVENTS } from '../event/event.loader';
import { toBehaviourEvent } from '../event/event.mapper';
import { Recommendation } from '../recommendation/recommendation.type';
import { MAX_RECOMMENDATIONS } from '../popular-in-category/popular-in-category.service';
import { InterestProfileType } from '../interest/interest-profile.type';
import { toInterestProfile } from '../interest/interest-profile.mapper';
import { UNAVAILABLE_RECOMMENDATION, UserRef } from './user-ref.type';

const DEFAULT_RECENT_EVENTS = 20;
const DEFAULT_RECOMMENDATIONS = 10;

@Resolver(() => UserRef)
export class UserResolver {
  @FieldResolver(() => [BehaviourEvent], {
    nullable: true,
    description: `The shopper's newest events first (at most ${MAX_RECENT_EVENTS}). Visible to the shopper themselves and to admins.${UNAVAILABLE_RECOMMENDATION}`,
  })
  async recentEvents(
    @Root() user: UserRef,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_RECENT_EVENTS }) first: number | null,
    @Ctx() ctx: RecommendationContext,
  ): Promise<BehaviourEvent[]> {
    requireSelfOrAdmin(ctx, user.id);
    const limit = pageSize(first ?? DEFAULT_RECENT_EVENTS, MAX_RECENT_EVENTS);
    const rows = await ctx.loaders.recentEvents.load(user.id);
    return rows.slice(0, limit).map(toBehaviourEvent);
  }

  @FieldResolver(() => InterestProfileType, {
    nullable: true,
    description: `Interests recognised from behaviour; null until the first recognition, and null without personalisation consent. Visible to the shopper themselves and to admins.${UNAVAILABLE_RECOMMENDATION}`,
  })
  async interestProfile(@Root() user: UserRef, @Ctx() ctx: RecommendationContext): Promise<InterestProfileType | null> {
    requireSelfOrAdmin(ctx, user.id);
    const saved = await ctx.loaders.interestProfiles.load(user.id);
    return saved ? toInterestProfile(saved) : null;
  }

  @FieldResolver(() => [Recommendation], {
    nullable: true,
    description:
      `Products for this shopper, best first (at most ${MAX_RECOMMENDATIONS}): popular in the categories of their history, then popular overall. ` +
      'Without personalisation consent their history is not read: the most popular products overall (source `popular`), the same for every such shopper. ' +
      `Visible to the shopper themselves and to admins.${UNAVAILABLE_RECOMMENDATION}`,
  })
  async recommendations(
    @Root() user: UserRef,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_RECOMMENDATIONS }) first: number | null,
    @Ctx() ctx: RecommendationContext,
  ): Promise<Recommendation[]> {
    requireSelfOrAdmin(ctx, user.id);
    const limit = pageSize(first ?? DEFAULT_RECOMMENDATIONS, MAX_RECOMMENDATIONS);
    const ranked = await ctx.loaders.popularInCategory.load(user.id);
    return ranked.slice(0, limit).map((item, rank) => ({
      product: { id: item.productId },
      score: item.score,
      source: item.source,
      reason: item.reason,
      rank,
      explored: false,
      recommendationId: null,
    }));
  }
}
