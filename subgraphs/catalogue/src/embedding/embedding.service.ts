import { AppError, badInput, decodeCursor, encodeCursor, ErrorCode } from '@serendip/federation';
import { encodeVector } from '@serendip/jobs';
import { isRowId } from '@serendip/db';
import type { EmbeddingJobs } from './embedding-jobs';
import type { ProductEmbeddingStore, ProductVectorPosition } from './product-embedding.store';
import type { ProductVectorPage } from './product-vector.type';
import type { ProductVectorFeed, ProductVectorPage as IndexPage } from '@serendip/vectors';
import { backfillProductEmbeddings, SemanticSearch } from './semantic-search';

/**
 * Everything embedding-related the catalogue does. Built only when the embedding model's folder
 * is readable; without it the catalogue still serves, and semantic search answers
 * SERVICE_UNAVAILABLE.
 */
export class EmbeddingService implements ProductVectorFeed {
  private readonly semantic: SemanticSearch;

  constructor(
    private readonly store: ProductEmbeddingStore,
    private readonly jobs: EmbeddingJobs,
    readonly model: string,
    refreshMs: number,
  ) {
    // Semantic search reads this service's own feed of vectors into its index.
    this.semantic = new SemanticSearch(this, jobs, refreshMs);
  }

  search(text: string, k: number) {
    return this.semantic.search(text, k);
  }

  get modelVersion(): string {
    return this.jobs.modelVersion;
  }

  /**
   * A page of the current model version's product vectors in write order. Following `endCursor`
   * to the end is a full scan; asking again later with the last cursor returns only embeddings
   * written since (new products and re-embedded ones). Deletions are not reported: products are
   * not deleted through the API, and their embeddings go with them (foreign key cascade).
   */
  async vectorFeed(after: string | null, first: number): Promise<ProductVectorPage> {
    const { rows, hasNextPage, endCursor } = await this.feedRows(after, first);
    return {
      model: this.model,
      modelVersion: this.modelVersion,
      items: rows.map((row) => ({
        productId: row.productId,
        categoryId: row.categoryId,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        vector: encodeVector(row.vector),
      })),
      hasNextPage,
      endCursor,
    };
  }

  /** The same feed, decoded, as the vector index reads it (ProductVectorFeed). */
  async page(after: string | null, first: number): Promise<IndexPage> {
    const { rows, hasNextPage, endCursor } = await this.feedRows(after, first);
    return {
      embeddingModel: `${this.model}@${this.modelVersion}`,
      items: rows.map((row) => ({ productId: row.productId, categoryId: row.categoryId, createdAt: row.createdAt, vector: row.vector })),
      hasNextPage,
      endCursor,
    };
  }

  private async feedRows(after: string | null, first: number) {
    const rows = await this.store.feed(this.model, this.modelVersion, after === null ? null : decodeFeedCursor(after), first + 1);
    const items = rows.slice(0, first);
    const last = items[items.length - 1];
    return { rows: items, hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.position.updatedAt, last.position.productId]) : after };
  }

  /**
   * Queues (re-)embedding after a product write. A failure is logged, not thrown: the product is
   * saved, and the backfill at the next start (or `pnpm embed:backfill`) embeds it.
   */
  async productsChanged(productIds: string[]): Promise<void> {
    try {
      await this.jobs.embedProducts(await this.store.texts(productIds));
    } catch (error) {
      console.error('[catalogue] could not queue embeddings; the next backfill will:', error instanceof Error ? error.message : error);
    }
  }

  backfill(): Promise<number> {
    return backfillProductEmbeddings(this.store, this.jobs, this.model);
  }

  async close(): Promise<void> {
    await this.semantic.stop();
    await this.jobs.close();
  }
}

export const semanticUnavailable = () =>
  new AppError(ErrorCode.Unavailable, 'Semantic search is not configured on this server (no embedding model); use lexical search');

const FEED_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;

function decodeFeedCursor(after: string): ProductVectorPosition {
  const [updatedAt, productId, ...rest] = decodeCursor(after);
  if (typeof updatedAt !== 'string' || !FEED_TIMESTAMP.test(updatedAt) || typeof productId !== 'string' || !isRowId(productId) || rest.length > 0) {
    throw badInput('after is not a cursor this API issued', 'after');
  }
  return { updatedAt, productId };
}
