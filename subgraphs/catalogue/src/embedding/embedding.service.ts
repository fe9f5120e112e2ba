import { AppError, ErrorCode } from '@serendip/federation';
import { encodeVector, JobOutbox, redisRunId } from '@serendip/jobs';
import type { SnapshotStore } from '@serendip/vectors';
import type { EmbeddingRequestStore } from './embedding-request.store';
import type { EmbeddingJobs } from './embedding-jobs';
import type { ProductEmbeddingStore } from './product-embedding.store';
import type { ProductVectorPage } from './product-vector.type';
import { backfillProductEmbeddings, SemanticSearch } from './semantic-search';
import { StoreVectorFeed } from './store-vector-feed';

/**
 * Everything embedding-related the catalogue does. Built only when the embedding model's folder
 * is readable; without it the catalogue still serves, and semantic search answers
 * SERVICE_UNAVAILABLE.
 */
export class EmbeddingService {
  private readonly semantic: SemanticSearch;
  private readonly feed: StoreVectorFeed;
  private readonly outbox: JobOutbox<{ productId: string; requestedAt: Date }>;

  constructor(
    private readonly store: ProductEmbeddingStore,
    private readonly jobs: EmbeddingJobs,
    readonly model: string,
    /** How often the semantic index reads new vectors, and the snapshots it may start from. */
    index: { refreshMs: number; snapshots?: SnapshotStore },
    /** The outbox product writes fill (`ProductService`), and how long a queueing may take and the sweep waits. */
    requests: { store: EmbeddingRequestStore; timeoutMs: number; staleAfterMs: number },
  ) {
    this.feed = new StoreVectorFeed(store, model, () => jobs.modelVersion);
    // Texts are read when queued, so a request queued late embeds the product as it is then.
    this.outbox = new JobOutbox(requests.store, async (due) => jobs.embedProducts(await store.texts(due.map((request) => request.productId))), {
      name: '[catalogue] product embeddings',
      timeoutMs: requests.timeoutMs,
      staleAfterMs: requests.staleAfterMs,
      redisRun: () => redisRunId(jobs.queueClient),
    });
    // Semantic search reads the same feed of vectors into its index.
    this.semantic = new SemanticSearch(this.feed, jobs, index);
  }

  search(text: string, k: number) {
    return this.semantic.search(text, k);
  }

  get modelVersion(): string {
    return this.jobs.modelVersion;
  }

  /** Whether semantic search's index has read every product vector once (readiness). */
  get semanticIndexLoaded(): boolean {
    return this.semantic.loaded;
  }

  /** The Redis connection the embedding queues use (readiness). */
  get queueClient() {
    return this.jobs.queueClient;
  }

  /**
   * A page of the current model version's product vectors in write order. Following `endCursor`
   * to the end is a full scan; asking again later with the last cursor returns only embeddings
   * written since (new products and re-embedded ones). Deletions are not reported: products are
   * not deleted through the API, and their embeddings go with them (foreign key cascade).
   */
  async vectorFeed(after: string | null, first: number): Promise<ProductVectorPage> {
    const { rows, hasNextPage, endCursor } = await this.feed.rows(after, first);
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

  /**
   * Queues (re-)embedding after a product write, within the enqueue timeout. A failure is logged,
   * not thrown: the product and its request are saved, and the sweep queues it.
   */
  async productsChanged(productIds: string[]): Promise<void> {
    // Taken before the texts are read: a write after this keeps its own request.
    const requestedAt = new Date();
    await this.outbox.deliver(productIds.map((productId) => ({ productId, requestedAt })));
  }

  /** Queues the requests of product writes that did not reach the queue; see `JobOutbox.sweep`. */
  sweep(): Promise<number> {
    return this.outbox.sweep();
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
