import { PageInfo } from '@serendip/federation';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { EventType } from '../event/event-type';
import { ProductRef } from '../product/product-ref.type';
import { PrivacyRelease } from './privacy.type';

@ObjectType('FunnelStep', { description: 'One step of the VIEW → CART → PURCHASE funnel over a period.' })
export class FunnelStep {
  @Field(() => EventType)
  type!: EventType;

  @Field(() => Int, { description: 'Events of this type. In a private release each shopper adds at most PRIVACY_MAX_CONTRIBUTIONS.' })
  events!: number;

  @Field(() => Int, { description: 'Shoppers with at least one event of this type.' })
  shoppers!: number;

  @Field(() => Int, { description: 'Shoppers with at least one event of this type and of every earlier step (in any order) in the period.' })
  reached!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      "reached / the previous step's reached, for instance shoppers with a CART among shoppers with a VIEW; null for VIEW or when nobody reached the previous step.",
  })
  conversion!: number | null;

  @Field(() => Float, { nullable: true, description: 'reached / shoppers who viewed; null when nobody viewed.' })
  overallConversion!: number | null;
}

@ObjectType('BehaviourFunnel')
export class BehaviourFunnel {
  @Field(() => [FunnelStep], { description: 'VIEW, CART, PURCHASE.' })
  steps!: FunnelStep[];

  @Field(() => PrivacyRelease, { nullable: true, description: 'How the figures were noised; null when they are exact.' })
  privacy!: PrivacyRelease | null;
}

@ObjectType('ProductFunnel', { description: "One product's funnel events over a period." })
export class ProductFunnel {
  @Field(() => ProductRef)
  product!: ProductRef;

  @Field(() => Int)
  views!: number;

  @Field(() => Int)
  carts!: number;

  @Field(() => Int)
  purchases!: number;

  @Field(() => Float, { nullable: true, description: 'carts / views; null without views.' })
  cartRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'purchases / views; null without views.' })
  conversion!: number | null;
}

@ObjectType('ProductFunnelConnection', { description: 'Most viewed first, then by product id.' })
export class ProductFunnelConnection {
  @Field(() => [ProductFunnel])
  nodes!: ProductFunnel[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Products of the category with funnel events in the period, across all pages.' })
  totalCount!: number;
}
