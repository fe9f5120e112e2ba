import { Directive, Field, GraphQLISODateTime, ID, ObjectType } from 'type-graphql';

/*
 * Service-to-service types: `@inaccessible` keeps them out of the gateway's public API, and the
 * query that returns them is reachable only by calling the catalogue directly with a signed identity.
 */

@Directive('@inaccessible')
@ObjectType('ProductVector', { description: "A product's embedding under the catalogue's current model, with what an index needs beside it." })
export class ProductVector {
  @Field(() => ID)
  productId!: string;

  @Field(() => ID)
  categoryId!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the product was created.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When this embedding was last written.' })
  updatedAt!: Date;

  @Field(() => String, { description: 'Base64 of little-endian float32 values, L2-normalised.' })
  vector!: string;
}

@Directive('@inaccessible')
@ObjectType('ProductVectorPage')
export class ProductVectorPage {
  @Field(() => String, { description: 'The embedding model every vector of the page comes from.' })
  model!: string;

  @Field(() => String, { description: 'Its version; when it changes, vectors read under the old one are void.' })
  modelVersion!: string;

  @Field(() => [ProductVector], { description: 'In write order: oldest embedding first.' })
  items!: ProductVector[];

  @Field(() => Boolean, { description: 'False once the feed has caught up with what is written.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` to continue, now or later for what is written since; echoes `after` when the page is empty.',
  })
  endCursor!: string | null;
}
