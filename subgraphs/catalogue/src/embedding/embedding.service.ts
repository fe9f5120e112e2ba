import { AppError, ErrorCode } from '@serendip/federation';
import type { EmbeddingJobs } from './embedding-jobs';
import type { ProductEmbeddingStore } from './product-embedding.store';
import { backfillProductEmbeddings, SemanticSearch } from './semantic-search';

/**
 * Everything embedding-related the catalogue does. Built only when the embedding model's folder
 * is readable; without it the catalogue still serves, and semantic search answers
 * SERVICE_UNAVAILABLE.
 */
export class EmbeddingService {
  private readonly semantic: SemanticSearch;

  constructor(
    private readonly store: ProductEmbeddingStore,
    private readonly jobs: EmbeddingJobs,
    readonly model: string,
    refreshMs: number,
  ) {
    this.semantic = new SemanticSearch(store, jobs, model, refreshMs);
  }

  search(text: string, k: number) {
    return this.semantic.search(text, k);
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

  close(): Promise<void> {
    return this.jobs.close();
  }
}

export const semanticUnavailable = () =>
  new AppError(ErrorCode.Unavailable, 'Semantic search is not configured on this server (no embedding model); use lexical search');
