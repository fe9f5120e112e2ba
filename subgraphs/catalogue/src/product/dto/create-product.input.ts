import { Field, Float, ID, InputType } from 'type-graphql';

@InputType('CreateProductInput')
export class CreateProductInput {
  @Field(() => String, { description: '1 to 64 characters without spaces; unique.' })
  sku!: string;

  @Field(() => String, { description: '1 to 500 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, defaultValue: '', description: 'Up to 20000 characters.' })
  description?: string | null;

  @Field(() => ID)
  categoryId!: string;

  @Field(() => String, { nullable: true, description: 'Up to 200 characters; blank means none.' })
  brand?: string | null;

  @Field(() => Float, { description: 'At least 0, at most two decimals.' })
  price!: number;

  @Field(() => String, { nullable: true, defaultValue: 'USD', description: 'ISO 4217 code: three upper-case letters.' })
  currency?: string | null;

  @Field(() => [String], { nullable: true, defaultValue: [], description: 'At most 30 tags of 1 to 50 characters.' })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'An http or https URL.' })
  imageUrl?: string | null;
}
