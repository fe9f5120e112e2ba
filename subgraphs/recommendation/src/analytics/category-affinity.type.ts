import { PageInfo } from '@serendip/federation';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { CategoryRef } from '../product/category-ref.type';

@ObjectType('CategoryAffinity', { description: "How shoppers engaged with one category's products over a period." })
export class CategoryAffinity {
  @Field(() => CategoryRef)
  category!: CategoryRef;

  @Field(() => Int, { description: "Shoppers with an event on the category's products." })
  shoppers!: number;

  @Field(() => Int)
  events!: number;

  @Field(() => Int, { description: 'PURCHASE events.' })
  purchases!: number;

  @Field(() => Int, { description: 'Shoppers who bought in the category.' })
  buyers!: number;

  @Field(() => Float, { description: 'buyers / shoppers.' })
  conversion!: number;

  @Field(() => Float, { description: 'shoppers / all shoppers with an event on any categorised product.' })
  shareOfShoppers!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'conversion / overallConversion: how much likelier its shoppers are to buy here than the average shopper is to buy at all; null when nobody bought.',
  })
  lift!: number | null;
}

@ObjectType('CategoryAffinityConnection', { description: 'Categories with the most shoppers first, then by category id.' })
export class CategoryAffinityConnection {
  @Field(() => [CategoryAffinity])
  nodes!: CategoryAffinity[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Categories with events in the period, across all pages.' })
  totalCount!: number;

  @Field(() => Int, { description: 'Shoppers with an event on any categorised product.' })
  totalShoppers!: number;

  @Field(() => Float, { nullable: true, description: 'Of those, the share who bought anything; null without shoppers.' })
  overallConversion!: number | null;
}
