import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The catalogue's Product, referenced by id; this subgraph adds `reviews` and `ratingSummary`. */
@Directive('@key(fields: "id")')
@ObjectType('Product')
export class ProductRef {
  @Field(() => ID)
  id!: string;
}
