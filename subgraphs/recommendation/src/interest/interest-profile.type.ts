import { Field, Float, GraphQLISODateTime, Int, ObjectType } from 'type-graphql';
import { CategoryRef } from '../product/category-ref.type';

@ObjectType('InterestCategory', { description: 'A category behind an interest, with its share of the interest.' })
export class InterestCategory {
  @Field(() => CategoryRef)
  category!: CategoryRef;

  @Field(() => Float, { description: 'Share of the interest carried by this category, in (0, 1].' })
  weight!: number;
}

@ObjectType('Interest', { description: 'One thing a shopper is interested in, recognised from their behaviour.' })
export class InterestType {
  @Field(() => String, { description: 'Readable name from its strongest keywords, e.g. "running · shoes".' })
  label!: string;

  @Field(() => Float, { description: "Share of the shopper's attention, in (0, 1]; the interests' weights sum to 1." })
  weight!: number;

  @Field(() => [InterestCategory], { description: 'Up to 3 categories, strongest first.' })
  topCategories!: InterestCategory[];

  @Field(() => [String], { description: 'Up to 5 keywords from product titles and searches, strongest first.' })
  topKeywords!: string[];

  @Field(() => Int, { description: 'Events behind it.' })
  signals!: number;
}

@ObjectType('InterestProfile', { description: 'What Serendip believes a shopper is interested in, as the worker last recognised it.' })
export class InterestProfileType {
  @Field(() => [InterestType], { description: 'Strongest first; several interests rather than one average.' })
  interests!: InterestType[];

  @Field(() => Int, { description: 'Product and search events (and passed-over recommendations) the profile was built from.' })
  signals!: number;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}
