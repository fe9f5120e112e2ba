import { Field, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { EventType } from '../event/event-type';
import { InterestType } from '../interest/interest-profile.type';
import { ShopperSegment } from '../segments/segment.type';

@ObjectType('RemovedInterest', { description: 'An interest the shopper removed; it stays out of their profile.' })
export class RemovedInterestType {
  @Field(() => String)
  label!: string;

  @Field(() => GraphQLISODateTime)
  removedAt!: Date;
}

@ObjectType('SignalCount', { description: 'Events of one type among those recognition reads.' })
export class EventTypeCount {
  @Field(() => EventType)
  type!: EventType;

  @Field(() => Int)
  count!: number;
}

@ObjectType('BehaviourSignals', { description: 'The behaviour the interests are recognised from.' })
export class BehaviourSignals {
  @Field(() => [EventTypeCount], { description: 'Events read, by type (the newest events only, see `window`).' })
  events!: EventTypeCount[];

  @Field(() => Int, { description: 'How many of the newest events recognition reads.' })
  window!: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The oldest event read.' })
  since!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'The newest event.' })
  lastAt!: Date | null;

  @Field(() => Int, { description: 'Recommended products shown in three different hours and never clicked: they count against similar products.' })
  passedOver!: number;
}

@ObjectType('BehaviourSummary', { description: 'What Serendip believes about the shopper, and the signals behind it.' })
export class BehaviourSummary {
  @Field(() => Boolean, { description: 'Personalisation consent as enforced; without it there are no interests and no profile.' })
  personalisation!: boolean;

  @Field(() => [InterestType], { description: 'Strongest first; remove one with removeInterest(index).' })
  interests!: InterestType[];

  @Field(() => [RemovedInterestType], { description: 'Newest first.' })
  removedInterests!: RemovedInterestType[];

  @Field(() => BehaviourSignals)
  signals!: BehaviourSignals;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the interests were last recognised.' })
  profileUpdatedAt!: Date | null;

  @Field(() => ShopperSegment, { nullable: true, description: 'The segment the shopper was placed in at the last refit.' })
  segment!: ShopperSegment | null;
}
