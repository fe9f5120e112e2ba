import { PageInfo } from '@serendip/federation';
import { Directive, Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';
import { ProductRef } from '../product/product.type';
import { UserRef } from '../user/user.type';

@Directive('@key(fields: "id")')
@ObjectType('Review', { description: "A shopper's rating and opinion of one product; one per shopper and product." })
export class Review {
  @Field(() => ID)
  id!: string;

  @Field(() => UserRef)
  author!: UserRef;

  @Field(() => ProductRef)
  product!: ProductRef;

  @Field(() => Int, { description: '1 (worst) to 5 (best).' })
  rating!: number;

  @Field(() => String)
  text!: string;

  @Field(() => String, { description: 'ISO 639-1 code detected from the text (`zh`, `en`), or `und` when unclear.' })
  language!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType('ReviewConnection', { description: 'Reviews, newest first.' })
export class ReviewConnection {
  @Field(() => [Review])
  nodes!: Review[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType('RatingSummary')
export class RatingSummary {
  @Field(() => Float, { nullable: true, description: 'Mean rating, or null when the product has no reviews.' })
  average!: number | null;

  @Field(() => Int)
  count!: number;
}
