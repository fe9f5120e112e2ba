import { requireAdmin, requireSelfOrAdmin } from '@serendip/federation';
import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { UNAVAILABLE_RECOMMENDATION, UserRef } from '../user/user-ref.type';
import { toSegment } from './segment.mapper';
import { ShopperSegment, ShopperSegments } from './segment.type';

@Resolver(() => UserRef)
export class SegmentResolver {
  @FieldResolver(() => ShopperSegment, {
    nullable: true,
    description: `The segment the shopper was placed in at the last refit; null without consent or before one. Visible to the shopper themselves and to admins.${UNAVAILABLE_RECOMMENDATION}`,
  })
  async segment(@Root() user: UserRef, @Ctx() ctx: RecommendationContext): Promise<ShopperSegment | null> {
    requireSelfOrAdmin(ctx, user.id);
    const segment = await ctx.loaders.segments.load(user.id);
    if (segment === null) return null;
    const description = (await ctx.loaders.segmentModel())?.segments.find((candidate) => candidate.segment === segment);
    return description ? toSegment(description) : null;
  }

  @Query(() => ShopperSegments, { nullable: true, description: 'Admins only: the current shopper segments; null before the first refit.' })
  async shopperSegments(@Ctx() ctx: RecommendationContext): Promise<ShopperSegments | null> {
    requireAdmin(ctx);
    const stored = await ctx.segments.load();
    if (!stored) return null;
    const chosen = stored.model.silhouettes.find((score) => score.k === stored.model.k);
    return {
      fittedAt: stored.fittedAt,
      shoppers: stored.shoppers,
      k: stored.model.k,
      silhouette: chosen?.silhouette ?? 0,
      stability: chosen?.agreement ?? null,
      segments: stored.segments.map(toSegment),
    };
  }
}
