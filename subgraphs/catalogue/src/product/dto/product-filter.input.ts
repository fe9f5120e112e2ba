import { Field, Float, ID, InputType } from 'type-graphql';

@InputType('ProductFilter', { description: 'All given conditions must hold.' })
export class ProductFilter {
  @Field(() => ID, { nullable: true, description: 'Products in this category or any of its descendants.' })
  categoryId?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact brand, ignoring case.' })
  brand?: string | null;

  @Field(() => Float, { nullable: true })
  minPrice?: number | null;

  @Field(() => Float, { nullable: true })
  maxPrice?: number | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;
}
