import { badInput, pageSize, requireService } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import { Arg, Ctx, Directive, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { FeedbackContext } from '../context';

const MAX_PAGE = 5000;

@ObjectType('ProductReviewTally', { description: "What one product's reviews add up to." })
export class ProductReviewTally {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int)
  ratings!: number;

  @Field(() => Int, { description: 'Sum of the star ratings.' })
  ratingSum!: number;

  @Field(() => Int, { description: 'Reviews whose text has been analysed.' })
  analysed!: number;

  @Field(() => Int)
  positive!: number;

  @Field(() => Int)
  negative!: number;
}

@ObjectType('ReviewTallyPage')
export class ReviewTallyPage {
  @Field(() => [ProductReviewTally])
  items!: ProductReviewTally[];

  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => ID, { nullable: true, description: 'The last product id of the page: pass it as `after` to continue.' })
  endCursor!: string | null;
}

@Resolver(() => ReviewTallyPage)
export class ReviewTallyResolver {
  @Directive('@inaccessible')
  @Query(() => ReviewTallyPage, {
    description: 'Service only: per product with reviews, in product id order, what its reviews add up to, for the recommender to weigh review quality.',
  })
  async reviewTallyFeed(
    // type-graphql lists arguments in reverse parameter order; this prints (after, first).
    @Arg('first', () => Int, { nullable: true, defaultValue: MAX_PAGE }) first: number | null,
    @Arg('after', () => ID, { nullable: true }) after: string | null,
    @Ctx() ctx: FeedbackContext,
  ): Promise<ReviewTallyPage> {
    requireService(ctx, 'review tallies');
    const size = pageSize(first ?? MAX_PAGE, MAX_PAGE);
    // An omitted argument arrives as undefined, an explicit null as null: both start at the beginning.
    const cursor = after ?? null;
    if (cursor !== null && !isRowId(cursor)) throw badInput('after must be a product id from endCursor', 'after');
    const rows = await ctx.insightsStore.tallies(cursor ?? '0', size + 1);
    const items = rows.slice(0, size);
    return { items, hasNextPage: rows.length > size, endCursor: items.at(-1)?.productId ?? cursor };
  }
}
