import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType('Category', { description: 'A node of the product taxonomy.' })
export class Category {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Unique; the parent slug and this name, e.g. `electronics/phones`.' })
  slug!: string;

  parentId!: string | null;

  /** Ids from the root down to this category itself; resolved by CategoryResolver.path. */
  pathIds!: string[];
}
