import { Field, Float, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { CategoryRef } from '../product/category-ref.type';

@ObjectType('SegmentCategory')
export class SegmentCategory {
  @Field(() => CategoryRef)
  category!: CategoryRef;

  @Field(() => Float, { description: "Share of the segment's category events." })
  share!: number;
}

@ObjectType('ShopperSegment', { description: 'A group of shoppers who behave alike, described by its own figures.' })
export class ShopperSegment {
  @Field(() => Int, {
    description:
      'The segment number. A refit gives it to the new segment most of whose members had it, so it names the same group of shoppers while that group lasts.',
  })
  segment!: number;

  @Field(() => String, { description: 'Built from the figures below, e.g. "evening occasional buyers of 2 categories, mostly shoes".' })
  label!: string;

  @Field(() => Int)
  size!: number;

  @Field(() => Float, { description: 'Share of the segmented shoppers.' })
  share!: number;

  @Field(() => [SegmentCategory], { description: 'Up to 3.' })
  topCategories!: SegmentCategory[];

  @Field(() => [String], { description: "The members' interest keywords, up to 5." })
  topKeywords!: string[];

  @Field(() => [Int], { description: 'The fewest hours of day (UTC) that hold half of its events.' })
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

  @Field(() => Float, { description: 'Mean silhouette of the chosen k: the criterion it was chosen by.' })
  silhouette!: number;

  @Field(() => [ShopperSegment], { description: 'Largest first.' })
  segments!: ShopperSegment[];
}
