import { AppError, badInput, ErrorCode } from '@serendip/federation';
import { In, type DataSource } from 'typeorm';
import { CategoryEntity } from '../category/category.entity';
import { categorySlug, insertCategory, normaliseCategoryName } from '../category/category.tree';
import { ProductEntity } from '../product/product.entity';
import { normaliseProduct, type ProductFields, type ProductFieldsInput } from '../product/product.fields';
import { productSearchTokens } from '../product/search-tokens';
import { batchesOf, isRowId } from '@serendip/db';

export type ProductRow = ProductFieldsInput;

const DEFAULT_CHUNK = 500;

/**
 * Bulk writes for the demo-data importer, bypassing GraphQL. Keyed on natural keys (category
 * slug chain, product sku), so running an import twice leaves the catalogue as it was.
 * Takes a data source opened with `openCatalogueDataSource`.
 */
export class CatalogueImportStore {
  /** Categories already resolved by slug; an import names the same few paths thousands of times. */
  private readonly categories = new Map<string, CategoryEntity>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly chunkSize = DEFAULT_CHUNK,
  ) {}

  /** Finds or creates each category of `names` (root first) and returns the leaf's id. */
  async upsertCategoryPath(names: readonly string[]): Promise<string> {
    if (names.length === 0) throw badInput('a category path needs at least one name', 'names');
    const cleaned = names.map((name, index) => normaliseCategoryName(name, `names[${index}]`));
    let parent: CategoryEntity | null = null;
    for (const [index, name] of cleaned.entries()) {
      const slug: string = categorySlug(name, parent, `names[${index}]`);
      parent = this.categories.get(slug) ?? (await this.findOrCreateCategory(name, slug, parent));
      this.categories.set(slug, parent);
    }
    return parent!.id;
  }

  /**
   * Inserts new skus and overwrites existing ones with multi-row `INSERT ... ON DUPLICATE KEY
   * UPDATE`, at most `chunkSize` rows and about STATEMENT_BYTES of text per statement. Every row is
   * validated, and every category checked, before the first write. Returns the id of each sku; a
   * sku given twice keeps its last row.
   */
  async upsertProducts(rows: readonly ProductRow[]): Promise<Map<string, string>> {
    const bySku = new Map<string, ProductFields>();
    rows.forEach((row, index) => {
      const fields = normaliseProduct(row, `rows[${index}].`);
      bySku.set(fields.sku, fields);
    });
    await this.requireCategories([...new Set([...bySku.values()].map((fields) => fields.categoryId))]);

    const ids = new Map<string, string>();
    const rowsOf = [...bySku.values()].map((fields) => ({ fields, searchTokens: productSearchTokens(fields) }));
    // By count, and by bytes too: Chinese descriptions (up to 20,000 characters) and their words would
    // otherwise let a statement of `chunkSize` rows outgrow max_allowed_packet.
    const bytesOf = (row: (typeof rowsOf)[number]) =>
      Buffer.byteLength(row.fields.title) + Buffer.byteLength(row.fields.description) + Buffer.byteLength(row.searchTokens ?? '');
    for (const batch of batchesOf(rowsOf, this.chunkSize, bytesOf)) {
      await this.dataSource.query(
        `INSERT INTO product (sku, title, description, category_id, brand, price, currency, tags, image_url, search_tokens)
         VALUES ?
         ON DUPLICATE KEY UPDATE
           title = VALUES(title), description = VALUES(description), category_id = VALUES(category_id),
           brand = VALUES(brand), price = VALUES(price), currency = VALUES(currency), tags = VALUES(tags),
           image_url = VALUES(image_url), search_tokens = VALUES(search_tokens)`,
        [
          batch.map(({ fields, searchTokens }) => [
            fields.sku,
            fields.title,
            fields.description,
            fields.categoryId,
            fields.brand,
            fields.price.toFixed(2),
            fields.currency,
            JSON.stringify(fields.tags),
            fields.imageUrl,
            searchTokens,
          ]),
        ],
      );
      const saved = await this.dataSource.getRepository(ProductEntity).find({
        select: { id: true, sku: true },
        where: { sku: In(batch.map(({ fields }) => fields.sku)) },
      });
      for (const product of saved) ids.set(product.sku, product.id);
    }
    return ids;
  }

  countProducts(): Promise<number> {
    return this.dataSource.getRepository(ProductEntity).count();
  }

  countCategories(): Promise<number> {
    return this.dataSource.getRepository(CategoryEntity).count();
  }

  private async findOrCreateCategory(name: string, slug: string, parent: CategoryEntity | null): Promise<CategoryEntity> {
    const repo = this.dataSource.getRepository(CategoryEntity);
    const existing = await repo.findOneBy({ slug });
    if (existing) return existing;
    try {
      return await this.dataSource.transaction((manager) => insertCategory(manager, name, parent));
    } catch (error) {
      // Another importer created it between our read and our insert.
      if (error instanceof AppError && error.code === ErrorCode.Conflict) return repo.findOneByOrFail({ slug });
      throw error;
    }
  }

  private async requireCategories(ids: string[]): Promise<void> {
    const valid = ids.filter(isRowId);
    const found = valid.length ? await this.dataSource.getRepository(CategoryEntity).find({ select: { id: true }, where: { id: In(valid) } }) : [];
    const known = new Set(found.map((category) => category.id));
    const missing = ids.find((id) => !known.has(id));
    if (missing !== undefined) {
      throw new AppError(ErrorCode.NotFound, `Category ${missing} does not exist`, { id: missing, field: 'categoryId' });
    }
  }
}
