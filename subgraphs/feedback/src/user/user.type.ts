import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The user subgraph's User, referenced by id; this subgraph adds `reviews`. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}
