import { badInput, decodeCursor, encodeCursor } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import type { ProductVectorFeed, ProductVectorPage } from '@serendip/vectors';
import type { ProductEmbeddingStore, ProductVectorPosition, ProductVectorRow } from './product-embedding.store';

const FEED_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;

/**
 * One model version's product vectors from the store in write order, behind an opaque cursor:
 * what the GraphQL `productVectorFeed` serves (encoded) and what the catalogue's own search index
 * reads (decoded, as a ProductVectorFeed). Following `endCursor` to the end is a full scan; asking
 * again later with the last cursor returns only embeddings written since.
 */
export class StoreVectorFeed implements ProductVectorFeed {
  constructor(
    private readonly store: ProductEmbeddingStore,
    private readonly model: string,
    /** The version read now (the catalogue's serving embedding version can change while it runs). */
    private readonly version: () => string,
  ) {}

  /** Up to `first` rows after `after`; a cursor this API did not issue is BAD_USER_INPUT. */
  async rows(after: string | null, first: number): Promise<{ rows: ProductVectorRow[]; hasNextPage: boolean; endCursor: string | null }> {
    const rows = await this.store.feed(this.model, this.version(), after === null ? null : decodeFeedCursor(after), first + 1);
    const items = rows.slice(0, first);
    const last = items[items.length - 1];
    return { rows: items, hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.position.updatedAt, last.position.productId]) : after };
  }

  async page(after: string | null, first: number): Promise<ProductVectorPage> {
    const { rows, hasNextPage, endCursor } = await this.rows(after, first);
    return {
      embeddingModel: `${this.model}@${this.version()}`,
      items: rows.map((row) => ({ productId: row.productId, categoryId: row.categoryId, createdAt: row.createdAt, vector: row.vector })),
      hasNextPage,
      endCursor,
    };
  }
}

function decodeFeedCursor(after: string): ProductVectorPosition {
  const [updatedAt, productId, ...rest] = decodeCursor(after);
  if (typeof updatedAt !== 'string' || !FEED_TIMESTAMP.test(updatedAt) || typeof productId !== 'string' || !isRowId(productId) || rest.length > 0) {
    throw badInput('after is not a cursor this API issued', 'after');
  }
  return { updatedAt, productId };
}
