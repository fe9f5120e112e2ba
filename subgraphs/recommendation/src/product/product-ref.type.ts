import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The catalogue's Product, referenced by id; the gateway resolves its other fields there. */
@Directive('@key(fields: "id")')
@ObjectType('Product')
export class ProductRef {
  @Field(() => ID)
  id!: string;
}
