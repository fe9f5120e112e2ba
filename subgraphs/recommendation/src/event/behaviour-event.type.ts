import { Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';
import { ProductRef } from '../product/product-ref.type';
import { EventType } from './event-type';

@ObjectType('BehaviourEvent', { description: 'Something a shopper did, as recorded by trackEvents.' })
export class BehaviourEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => EventType)
  type!: EventType;

  @Field(() => ProductRef, { nullable: true, description: 'Null for SEARCH events.' })
  product!: ProductRef | null;

  @Field(() => String, { nullable: true })
  query!: string | null;

  @Field(() => String)
  sessionId!: string;

  @Field(() => String)
  clientEventId!: string;

  @Field(() => GraphQLISODateTime)
  occurredAt!: Date;
}
