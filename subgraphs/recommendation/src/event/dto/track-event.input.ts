import { Field, GraphQLISODateTime, ID, InputType } from 'type-graphql';
import { EventType } from '../event-type';

@InputType('TrackEventInput', { description: 'One thing the signed-in shopper did.' })
export class TrackEventInput {
  @Field(() => EventType)
  type!: EventType;

  @Field(() => ID, { nullable: true, description: 'Required for VIEW, CART, PURCHASE and CLICK; absent for SEARCH.' })
  productId?: string | null;

  @Field(() => String, { nullable: true, description: 'The search text: required for SEARCH (1 to 500 characters).' })
  query?: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it happened on the client; defaults to when the server received it. At most 5 minutes ahead of the server clock.',
  })
  occurredAt?: Date | null;

  @Field(() => String, { description: 'The client session, 1 to 64 characters.' })
  sessionId!: string;

  @Field(() => String, {
    description: 'Unique per shopper, 1 to 64 characters of [A-Za-z0-9_.:-]. Resending an event with the same id records it once.',
  })
  clientEventId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'For CLICK, CART and PURCHASE of a recommended product: the recommendationId of the slate that showed it, which credits the policy that chose it.',
  })
  recommendationId?: string | null;
}
