import { isRowId } from '@serendip/db';
import { badInput, pageSize, requireUser } from '@serendip/federation';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { RecommendationSlate } from './slate.type';
import { RecommendationSlot } from './slot';

export const MAX_SLATE = 50;
// Read only by the parameter decorator below, which no-useless-assignment does not see.
// eslint-disable-next-line no-useless-assignment
const DEFAULT_SLATE = 10;
const MAX_EXCLUDED = 500;

@Resolver()
export class SlateResolver {
  @Query(() => RecommendationSlate, {
    description: `A fresh slate for the signed-in shopper (at most ${MAX_SLATE} items), logged so its clicks can be credited: exploits known interests and explores on purpose, by the slot's policy.`,
  })
  async recommendations(
    @Arg('slot', () => RecommendationSlot, { defaultValue: RecommendationSlot.HOME }) slot: RecommendationSlot,
    @Arg('first', () => Int, { defaultValue: DEFAULT_SLATE }) first: number,
    @Arg('excludeIds', () => [ID], { nullable: true, description: `Products not to recommend (already on the page); at most ${MAX_EXCLUDED}.` })
    excludeIds: string[] | null,
    @Ctx() ctx: RecommendationContext,
  ): Promise<RecommendationSlate> {
    const userId = requireUser(ctx);
    const size = pageSize(first, MAX_SLATE);
    const excluded = excludeIds ?? [];
    if (excluded.length > MAX_EXCLUDED) throw badInput(`excludeIds may hold at most ${MAX_EXCLUDED} ids`, 'excludeIds');
    const malformed = excluded.find((id) => !isRowId(id));
    if (malformed !== undefined) throw badInput(`excludeIds: "${malformed}" is not a product id`, 'excludeIds');
    return ctx.slates.slate({ userId, slot, first: size, excludeIds: excluded });
  }
}
