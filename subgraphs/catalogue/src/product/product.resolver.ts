import { AppError, encodeCursor, ErrorCode, pageSize, requireAdmin, warn, WarningCode } from '@serendip/federation';
import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { toCategory } from '../category/category.mapper';
import { Category } from '../category/category.type';
import type { CatalogueContext } from '../context';
import { CreateProductInput } from './dto/create-product.input';
import { ProductFilter } from './dto/product-filter.input';
import { UpdateProductInput } from './dto/update-product.input';
import type { ProductEntity } from './product.entity';
import { toProduct } from './product.mapper';
import { Product, ProductConnection, ProductSearchHit } from './product.type';
import { SearchMode } from './search-mode';
import { logger } from '@serendip/telemetry';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true })
  async product(@Arg('id', () => ID) id: string, @Ctx() ctx: CatalogueContext): Promise<Product | null> {
    const product = await ctx.loaders.product.load(id);
    return product ? toProduct(product) : null;
  }

  @Query(() => ProductConnection, { description: 'Newest first.' })
  async products(
    // type-graphql lists arguments in reverse parameter order; this prints (filter, first, after).
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('filter', () => ProductFilter, { nullable: true }) filter: ProductFilter | null,
    @Ctx() ctx: CatalogueContext,
  ): Promise<ProductConnection> {
    const size = pageSize(first ?? 20);
    const where = filter ?? {};
    const subtree = where.categoryId ? await ctx.loaders.category.load(where.categoryId) : null;
    const page = await ctx.products.list(where, subtree, size, after ?? null);
    const last = page.rows[page.rows.length - 1];
    return {
      nodes: page.rows.map((row) => toProduct(prime(ctx, row))),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor([last.id]) : null },
      totalCount: page.totalCount,
    };
  }

  @Query(() => [ProductSearchHit], {
    description:
      "Products matching the text, best first. HYBRID (the default) fuses LEXICAL and SEMANTIC; when the semantic side is unavailable, SEMANTIC and HYBRID answer from LEXICAL alone and say so in the response's extensions.warnings (code SEARCH_DEGRADED).",
  })
  async searchProducts(
    // type-graphql lists arguments in reverse parameter order; this prints (text, first, mode).
    @Arg('mode', () => SearchMode, { nullable: true, defaultValue: SearchMode.HYBRID }) mode: SearchMode | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: CatalogueContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProductSearchHit[]> {
    const result = await ctx.search.search(text, mode ?? SearchMode.HYBRID, pageSize(first ?? 20));
    if (result.degraded) {
      logger().warn(`${mode ?? SearchMode.HYBRID} search answered lexically: ${result.degraded}`);
      warn(ctx, {
        code: WarningCode.SearchDegraded,
        message: `Answered from lexical matching alone. ${result.degraded}`,
        path: responsePathAsArray(info.path),
      });
    }
    for (const hit of result.hits) if (hit.product) prime(ctx, hit.product);
    const products = await ctx.loaders.product.loadMany(result.hits.map((hit) => hit.productId));
    return result.hits.flatMap((hit, index) => {
      const product = products[index];
      // A product deleted since the vectors were loaded drops out of the page.
      return product && !(product instanceof Error) ? [{ product: toProduct(product), score: hit.score, matchedBy: hit.matchedBy }] : [];
    });
  }

  @Mutation(() => Product, { description: 'Admin only.' })
  async createProduct(@Arg('input', () => CreateProductInput) input: CreateProductInput, @Ctx() ctx: CatalogueContext): Promise<Product> {
    requireAdmin(ctx);
    const created = await ctx.products.create(input);
    await ctx.embeddings?.productsChanged([created.id]);
    return toProduct(prime(ctx, created));
  }

  @Mutation(() => Product, { description: 'Admin only: changes the fields given and leaves the rest.' })
  async updateProduct(
    @Arg('input', () => UpdateProductInput) input: UpdateProductInput,
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: CatalogueContext,
  ): Promise<Product> {
    requireAdmin(ctx);
    const updated = await ctx.products.update(id, input);
    await ctx.embeddings?.productsChanged([updated.id]);
    ctx.loaders.product.clear(id);
    return toProduct(prime(ctx, updated));
  }

  @FieldResolver(() => Category)
  async category(@Root() product: Product, @Ctx() ctx: CatalogueContext): Promise<Category> {
    const category = await ctx.loaders.category.load(product.categoryId);
    // The foreign key keeps every product in an existing category.
    if (!category) throw new AppError(ErrorCode.Internal, `Product ${product.id} has no category`);
    return toCategory(category);
  }
}

function prime(ctx: CatalogueContext, product: ProductEntity): ProductEntity {
  ctx.loaders.product.prime(product.id, product);
  return product;
}
