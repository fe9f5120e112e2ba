import { requireAdmin } from '@serendip/federation';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CatalogueContext } from '../context';
import type { CategoryEntity } from './category.entity';
import { toCategory } from './category.mapper';
import { Category } from './category.type';
import { CreateCategoryInput } from './dto/create-category.input';

@Resolver(() => Category)
export class CategoryResolver {
  @Query(() => [Category], { description: 'The root categories, by name.' })
  async categories(@Ctx() ctx: CatalogueContext): Promise<Category[]> {
    const roots = await ctx.categories.roots();
    return roots.map((root) => toCategory(prime(ctx, root)));
  }

  @Query(() => Category, { nullable: true })
  async category(@Arg('id', () => ID) id: string, @Ctx() ctx: CatalogueContext): Promise<Category | null> {
    const category = await ctx.loaders.category.load(id);
    return category ? toCategory(category) : null;
  }

  @Mutation(() => Category, { description: 'Admin only.' })
  async createCategory(@Arg('input', () => CreateCategoryInput) input: CreateCategoryInput, @Ctx() ctx: CatalogueContext): Promise<Category> {
    requireAdmin(ctx);
    return toCategory(prime(ctx, await ctx.categories.create(input)));
  }

  @FieldResolver(() => Category, { nullable: true })
  async parent(@Root() category: Category, @Ctx() ctx: CatalogueContext): Promise<Category | null> {
    if (category.parentId === null) return null;
    const parent = await ctx.loaders.category.load(category.parentId);
    return parent ? toCategory(parent) : null;
  }

  @FieldResolver(() => [Category], { description: 'Direct children, by name.' })
  async children(@Root() category: Category, @Ctx() ctx: CatalogueContext): Promise<Category[]> {
    const children = await ctx.loaders.children.load(category.id);
    return children.map((child) => toCategory(prime(ctx, child)));
  }

  @FieldResolver(() => [Category], { description: 'From the root down to this category itself.' })
  async path(@Root() category: Category, @Ctx() ctx: CatalogueContext): Promise<Category[]> {
    const chain = await ctx.loaders.category.loadMany(category.pathIds);
    return chain.filter((node): node is CategoryEntity => node !== null && !(node instanceof Error)).map(toCategory);
  }

  @FieldResolver(() => Int, { description: 'Products in this category and all of its descendants.' })
  productCount(@Root() category: Category, @Ctx() ctx: CatalogueContext): Promise<number> {
    return ctx.loaders.productCount.load(category.id);
  }
}

function prime(ctx: CatalogueContext, category: CategoryEntity): CategoryEntity {
  ctx.loaders.category.prime(category.id, category);
  return category;
}
