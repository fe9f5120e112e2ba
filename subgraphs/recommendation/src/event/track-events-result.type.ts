import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('TrackEventsResult')
export class TrackEventsResult {
  @Field(() => Int, { description: 'Events recorded by this call.' })
  accepted!: number;

  @Field(() => Int, { description: 'Events skipped because their clientEventId was already recorded (a retried batch).' })
  duplicates!: number;
}
