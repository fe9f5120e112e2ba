import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EventType } from '../event/event-type';
import { PrivacyRelease } from './privacy.type';

/** In ISO order, as MariaDB's WEEKDAY() numbers them (0 is Monday). */
export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

registerEnumType(Weekday, { name: 'Weekday', description: 'A day of the week, in UTC.' });

export const WEEKDAYS = Object.values(Weekday);

@ObjectType('ActivityTypeCount')
export class ActivityTypeCount {
  @Field(() => EventType)
  type!: EventType;

  @Field(() => Int)
  events!: number;
}

@ObjectType('HourActivity')
export class HourActivity {
  @Field(() => Int, { description: 'Hour of the day, 0 to 23, UTC.' })
  hour!: number;

  @Field(() => Int, { description: 'Events of every type.' })
  events!: number;

  @Field(() => [ActivityTypeCount], { description: 'Every event type, in EventType order.' })
  byType!: ActivityTypeCount[];
}

@ObjectType('WeekdayActivity')
export class WeekdayActivity {
  @Field(() => Weekday)
  weekday!: Weekday;

  @Field(() => Int, { description: 'Events of every type.' })
  events!: number;

  @Field(() => [ActivityTypeCount], { description: 'Every event type, in EventType order.' })
  byType!: ActivityTypeCount[];
}

@ObjectType('ActivityPatterns', { description: 'When shoppers are active, in UTC.' })
export class ActivityPatterns {
  @Field(() => [HourActivity], { description: '24 entries, hour 0 first.' })
  byHour!: HourActivity[];

  @Field(() => [WeekdayActivity], { description: '7 entries, Monday first.' })
  byWeekday!: WeekdayActivity[];

  @Field(() => PrivacyRelease, { nullable: true, description: 'How the figures were noised; null when they are exact.' })
  privacy!: PrivacyRelease | null;
}
