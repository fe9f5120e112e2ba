import { Field, Float, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { CategoryRef } from '../product/category-ref.type';
import { ProductRef } from '../product/product-ref.type';

@ObjectType('SegmentCategory')
export class SegmentCategory {
  @Field(() => CategoryRef)
  category!: CategoryRef;

  @Field(() => Float, { description: "Share of the segment's category events." })
  share!: number;
}

@ObjectType('SegmentDifference', { description: 'One behaviour feature of a segment against every other segmented shopper.' })
export class SegmentDifference {
  @Field(() => String, {
    description:
      'The feature: "log1p VIEW" (and CLICK, CART, PURCHASE, SEARCH, sessions), "cartPerView", "purchasePerView", "log1p spend" (money spent on purchases), "price level" (ln of the price of what the shopper touched against its category\'s median), "<night|morning|afternoon|evening> share", "category <id> share" or "other categories share".',
  })
  feature!: string;

  @Field(() => Float, {
    description:
      "The members' mean: events, sessions or money spent per shopper for the log1p features, the price ratio to the category median for the price level, else the share or rate.",
  })
  segment!: number;

  @Field(() => Float, { description: 'The same over every shopper outside the segment.' })
  others!: number;

  @Field(() => Float, { description: "(members' mean − others' mean) / the standard deviation over all shoppers, on the scale segments are found on." })
  effect!: number;
}

@ObjectType('SegmentProduct', { description: "A product a segment's members reach far more often than other segmented shoppers." })
export class SegmentProduct {
  @Field(() => ProductRef)
  product!: ProductRef;

  @Field(() => Int, { description: 'Members with an event on it.' })
  shoppers!: number;

  @Field(() => Float, { description: "Its share of the segment's members." })
  share!: number;

  @Field(() => Float, { description: 'The same share among every other segmented shopper.' })
  othersShare!: number;

  @Field(() => Float, { description: '100 × share / othersShare (smoothed by one shopper in two): 100 is no different from everyone else.' })
  index!: number;
}

@ObjectType('ShopperSegment', { description: 'A group of shoppers who behave alike, labelled by what sets it apart and described by its own figures.' })
export class ShopperSegment {
  @Field(() => Int, {
    description:
      'The segment number. A refit gives it to the new segment most of whose members had it, so it names the same group of shoppers while that group lasts.',
  })
  segment!: number;

  @Field(() => String, {
    description:
      'What sets it apart, from its largest differences, e.g. "Smartphones (95% vs 9% of events), fewer views (2.1 vs 3.6 per shopper)"; no two segments of a fit share one.',
  })
  label!: string;

  @Field(() => String, { description: 'Built from its own figures, e.g. "evening occasional buyers of 2 categories, mostly shoes".' })
  summary!: string;

  @Field(() => [SegmentDifference], { description: 'Its largest differences from every other segmented shopper, largest effect first; up to 5.' })
  differences!: SegmentDifference[];

  @Field(() => Int)
  size!: number;

  @Field(() => Float, { description: 'Share of the segmented shoppers.' })
  share!: number;

  @Field(() => [SegmentCategory], { description: 'Up to 3.' })
  topCategories!: SegmentCategory[];

  @Field(() => [SegmentProduct], {
    description:
      'Products its members reach out of proportion to other shoppers, highest index first; up to 5, each reached by at least 3 members and 1% of the segment.',
  })
  overIndexedProducts!: SegmentProduct[];

  @Field(() => [String], { description: "The members' interest keywords, up to 5." })
  topKeywords!: string[];

  @Field(() => [Int], { description: "The fewest hours of day (in the shop's time zone, SHOP_TIME_ZONE) that hold half of its events." })
  activeHours!: number[];

  @Field(() => Float, { description: 'Share of members with at least one purchase.' })
  conversion!: number;

  @Field(() => Float)
  eventsPerShopper!: number;

  @Field(() => Float)
  purchasesPerShopper!: number;
}

@ObjectType('ShopperSegments', { description: 'The current segmentation of consenting shoppers.' })
export class ShopperSegments {
  @Field(() => GraphQLISODateTime)
  fittedAt!: Date;

  @Field(() => Int)
  shoppers!: number;

  @Field(() => Int)
  k!: number;

  @Field(() => Float, { description: 'Mean silhouette of the chosen k: the best among the k whose segments were stable.' })
  silhouette!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Stability of the chosen k: mean adjusted Rand index between the fit and its refits on bootstrap resamples of the shoppers (1 = the same segments every time); k needs 0.8 unless none reaches it. Null for a model fitted before stability was measured.',
  })
  stability!: number | null;

  @Field(() => [ShopperSegment], { description: 'Largest first.' })
  segments!: ShopperSegment[];
}
