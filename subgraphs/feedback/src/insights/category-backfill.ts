import type { CatalogueClient } from '@serendip/federation';
import type { InsightsStore } from './insights.store';

const PAGE = 500;

/**
 * Gives reviews written without a category (imports, which do not ask the catalogue) the category
 * of their product, by asking the catalogue in pages. A product the catalogue does not know keeps
 * NULL and stays out of category insights; a catalogue that does not answer is asked next pass.
 */
export class CategoryBackfill {
  constructor(
    private readonly store: InsightsStore,
    private readonly catalogue: Pick<CatalogueClient, 'lookup'>,
  ) {}

  /** Returns how many products got a category. */
  async run(): Promise<number> {
    let after = '0';
    let filled = 0;
    for (;;) {
      const productIds = await this.store.productsWithoutCategory(after, PAGE);
      if (productIds.length === 0) return filled;
      const facts = await this.catalogue.lookup(productIds);
      await this.store.setCategories(new Map([...facts.values()].map((product) => [product.id, product.categoryId])));
      filled += facts.size;
      after = productIds[productIds.length - 1]!;
    }
  }
}
