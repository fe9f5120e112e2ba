import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * The user subgraph's User, extended here with behaviour and recommendations. Only the key is
 * declared; recentEvents and recommendations come from UserResolver.
 */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class UserRef {
  @Field(() => ID)
  id!: string;
}
