import { AppError, ErrorCode, pageSize, requireService } from '@serendip/federation';
import { Arg, Ctx, Directive, Int, Query, Resolver } from 'type-graphql';
import type { CatalogueContext } from '../context';
import { ProductVectorPage } from './product-vector.type';

const MAX_PAGE = 1000;

@Resolver(() => ProductVectorPage)
export class ProductVectorResolver {
  @Directive('@inaccessible')
  @Query(() => ProductVectorPage, {
    description:
      'Service only: product vectors of the current embedding model in write order, for other subgraphs to index. ' +
      'Follow endCursor to the end for a full scan, then ask again with the last cursor for what was written since.',
  })
  productVectorFeed(
    // type-graphql lists arguments in reverse parameter order; this prints (after, first).
    @Arg('first', () => Int, { nullable: true, defaultValue: MAX_PAGE }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: CatalogueContext,
  ): Promise<ProductVectorPage> {
    requireService(ctx, 'the vector feed');
    const size = pageSize(first ?? MAX_PAGE, MAX_PAGE);
    if (!ctx.embeddings) throw new AppError(ErrorCode.Unavailable, 'This catalogue has no embedding model configured');
    // An omitted argument arrives as undefined: the start of the feed, as null is.
    return ctx.embeddings.vectorFeed(after ?? null, size);
  }
}
