import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PrivacyRelease } from './privacy.type';

@ObjectType('SessionStatistics', {
  description: "Shopping sessions (one shopper's session id) over a period, counting only their events within it.",
})
export class SessionStatistics {
  @Field(() => Int)
  sessions!: number;

  @Field(() => Float, { nullable: true, description: 'Null without sessions.' })
  meanEventsPerSession!: number | null;

  @Field(() => Float, { nullable: true })
  medianEventsPerSession!: number | null;

  @Field(() => Float, { nullable: true, description: 'First to last event, in seconds.' })
  meanDurationSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  medianDurationSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of sessions with a single event.' })
  bounceRate!: number | null;

  @Field(() => Int)
  sessionsWithPurchase!: number;

  @Field(() => PrivacyRelease, { nullable: true, description: 'How the figures were noised; null when they are exact.' })
  privacy!: PrivacyRelease | null;
}
