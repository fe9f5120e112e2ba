import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PrivacyRelease } from './privacy.type';

@ObjectType('RepeatPurchase', { description: 'Shoppers who come back to buy, by UTC purchase days within a period.' })
export class RepeatPurchase {
  @Field(() => Int, { description: 'Shoppers with a PURCHASE.' })
  purchasers!: number;

  @Field(() => Int, { description: 'Shoppers with purchases on at least two distinct days.' })
  repeatPurchasers!: number;

  @Field(() => Float, { nullable: true, description: 'repeatPurchasers / purchasers; null without purchasers.' })
  repeatRate!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Median days between consecutive purchase days of a shopper, over all such gaps; null without repeat purchasers.',
  })
  medianDaysBetweenPurchases!: number | null;

  @Field(() => PrivacyRelease, { nullable: true, description: 'How the figures were noised; null when they are exact.' })
  privacy!: PrivacyRelease | null;
}
