import { badInput, requireAdmin } from '@serendip/federation';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { SequenceModelStatus, SequenceModelVersion } from './sequence-model.types';

const MAX_VERSIONS = 100;

@Resolver()
export class SequenceModelResolver {
  @Query(() => [SequenceModelVersion], { description: 'Admins only: the newest sequence model versions, whatever the gate decided.' })
  async sequenceModelVersions(
    @Arg('first', () => Int, { defaultValue: 10, description: `1 to ${MAX_VERSIONS}.` }) first: number,
    @Ctx() ctx: RecommendationContext,
  ): Promise<SequenceModelVersion[]> {
    requireAdmin(ctx);
    if (!(first >= 1 && first <= MAX_VERSIONS)) throw badInput(`first must be 1 to ${MAX_VERSIONS}`, 'first');
    return (await ctx.sequenceModels.recent(first)).map((row) => ({ ...row, status: SequenceModelStatus[row.status] }));
  }
}
