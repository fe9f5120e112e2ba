import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The catalogue's Category, referenced by id; the gateway resolves its name and the rest there. */
@Directive('@key(fields: "id")')
@ObjectType('Category')
export class CategoryRef {
  @Field(() => ID)
  id!: string;
}
