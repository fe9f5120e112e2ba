import { nullWhenUnavailable } from '@serendip/federation';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The catalogue's Product, referenced by id; this subgraph adds `reviews` and `ratingSummary`. */
@Directive('@key(fields: "id")')
@ObjectType('Product')
export class ProductRef {
  @Field(() => ID)
  id!: string;
}

/** Every field this subgraph adds to another's entity is nullable: a product or shopper is still worth showing without it. */
export const UNAVAILABLE_FEEDBACK = nullWhenUnavailable('feedback');
