import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { ProductRef } from '../product/product-ref.type';

@ObjectType('Recommendation', { description: 'A product suggested to a shopper, with why.' })
export class Recommendation {
  @Field(() => ProductRef)
  product!: ProductRef;

  @Field(() => Float, { description: 'Relevance in [0, 1]; comparable between recommendations of the same source.' })
  score!: number;

  @Field(() => String, {
    description:
      'Where it came from: `interest`, `co-occurrence`, `transitions`, `sequence`, `trending` or `fresh` in slates; `popular-in-category` or `popular` in User.recommendations.',
  })
  source!: string;

  @Field(() => String, { description: 'Readable explanation, e.g. "Matches your interest in running, shoes".' })
  reason!: string;

  @Field(() => Int, { description: '0-based position.' })
  rank!: number;

  @Field(() => Boolean, { description: 'Chosen to explore rather than as the best-scoring item left (a deliberate, logged exploration).' })
  explored!: boolean;

  @Field(() => ID, {
    nullable: true,
    description:
      'The logged slate this item belongs to: send it as TrackEventInput.recommendationId with CLICK, CART and PURCHASE events about the product. Null where nothing was logged (User.recommendations).',
  })
  recommendationId!: string | null;
}
