import { isRowId } from '@serendip/db';
import { badInput, requireAdmin } from '@serendip/federation';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { Audience } from './audience.type';

/** The most shoppers one audience names, and the most products a brand or text stands for. */
const MAX_LIMIT = 1000;
const MAX_TARGET_PRODUCTS = 50;

/** A loader's results, or its first failure thrown: a shopper whose row failed to load must not silently read as one without a profile. */
function unlessFailed<T>(rows: readonly (T | Error)[]): T[] {
  const failure = rows.find((row): row is Error => row instanceof Error);
  if (failure) throw failure;
  return rows as T[];
}

@Resolver(() => Audience)
export class AudienceResolver {
  @Query(() => Audience, {
    description:
      'Admins only: the consenting shoppers most likely to respond to exactly one of a product, a brand (its products) or a text (the products semantic search finds), with the segments they come from.',
  })
  async audience(
    // type-graphql lists arguments in reverse parameter order; this prints (productId, brand, text, limit).
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
    @Arg('text', () => String, { nullable: true }) text: string | null,
    @Arg('brand', () => String, { nullable: true }) brand: string | null,
    @Arg('productId', () => ID, { nullable: true }) productId: string | null,
    @Ctx() ctx: RecommendationContext,
  ): Promise<Audience> {
    requireAdmin(ctx);
    const given = [productId, brand, text].filter((value) => value !== null && value !== undefined);
    if (given.length !== 1) throw badInput('give exactly one of productId, brand and text', 'productId');
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw badInput(`limit must be 1 to ${MAX_LIMIT}`, 'limit');
    let target: Map<string, number>;
    let description: string;
    if (productId !== null && productId !== undefined) {
      if (!isRowId(productId)) throw badInput(`productId: "${productId}" is not a product id`, 'productId');
      target = new Map([[productId, 1]]);
      description = `product ${productId}`;
    } else {
      const isBrand = brand !== null && brand !== undefined;
      const value = (isBrand ? brand : text)!.trim();
      if (value === '' || value.length > 200) throw badInput(`${isBrand ? 'brand' : 'text'} must be 1 to 200 characters`, isBrand ? 'brand' : 'text');
      target = isBrand ? await ctx.audienceTargets.brand(value, MAX_TARGET_PRODUCTS) : await ctx.audienceTargets.text(value, MAX_TARGET_PRODUCTS);
      description = `${isBrand ? 'brand' : 'text'} ${JSON.stringify(value)} (${target.size} products)`;
      if (target.size === 0) return { target: description, size: 0, expectedReach: 0, segments: [], shoppers: [] };
    }
    const audience = await ctx.audiences.audience(target, limit, {
      index: ctx.productIndex,
      profiles: (userIds) => ctx.loaders.interestProfiles.loadMany(userIds).then(unlessFailed),
      segments: (userIds) => ctx.loaders.segments.loadMany(userIds).then(unlessFailed),
    });
    const labels = new Map((await ctx.loaders.segmentModel())?.segments.map((segment) => [segment.segment, segment.label]) ?? []);
    return {
      target: description,
      size: audience.shoppers.length,
      expectedReach: audience.expectedReach,
      segments: audience.segments.map((segment) => ({ ...segment, label: labels.get(segment.segment) ?? '' })),
      shoppers: audience.shoppers.map((shopper) => ({ user: { id: shopper.userId }, score: shopper.score, probability: shopper.probability })),
    };
  }
}
