import { Field, Float, ObjectType } from 'type-graphql';
import { ProductRef } from '../product/product-ref.type';

@ObjectType('Recommendation', { description: 'A product suggested to a shopper, with why.' })
export class Recommendation {
  @Field(() => ProductRef)
  product!: ProductRef;

  @Field(() => Float, { description: 'Relevance in [0, 1]; comparable between recommendations of the same source.' })
  score!: number;

  @Field(() => String, { description: 'Which ranking produced it: `popular-in-category` or `popular`.' })
  source!: string;

  @Field(() => String, { description: 'Readable explanation, e.g. "Popular in a category you viewed".' })
  reason!: string;
}
