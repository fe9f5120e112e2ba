import { SearchMode } from './search-mode';
import { PageInfo } from '@serendip/federation';
import { Directive, Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType('Product')
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Merchant stock keeping unit; unique, case-sensitive.' })
  sku!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'Plain text; may be empty.' })
  description!: string;

  /** Resolved to a Category by ProductResolver.category. */
  categoryId!: string;

  @Field(() => String, { nullable: true })
  brand!: string | null;

  @Field(() => Float, { description: 'In `currency`, with at most two decimals.' })
  price!: number;

  @Field(() => String, { description: 'ISO 4217 code such as USD or CNY.' })
  currency!: string;

  @Field(() => [String], { description: 'Lower-case, trimmed and without duplicates.' })
  tags!: string[];

  @Field(() => String, { nullable: true })
  imageUrl!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType('ProductConnection')
export class ProductConnection {
  @Field(() => [Product])
  nodes!: Product[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Products matching the filter, across all pages.' })
  totalCount!: number;
}

@ObjectType('ProductSearchHit')
export class ProductSearchHit {
  @Field(() => Product)
  product!: Product;

  @Field(() => Float, { description: 'Relevance; higher is better. Comparable only within one result list.' })
  score!: number;

  @Field(() => [SearchMode], {
    description: 'The modes that found the product: in HYBRID, LEXICAL and/or SEMANTIC; LEXICAL alone on every hit when the semantic side was unavailable.',
  })
  matchedBy!: SearchMode[];
}
