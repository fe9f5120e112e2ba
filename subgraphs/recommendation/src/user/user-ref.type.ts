import { nullWhenUnavailable } from '@serendip/federation';
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

/** Every field this subgraph adds to User is nullable: the rest of the shopper's page still shows without it. */
export const UNAVAILABLE_RECOMMENDATION = nullWhenUnavailable('recommendation');
