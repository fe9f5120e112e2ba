import { embeddingVector } from '@serendip/jobs';
import { ProductIndexSync, type ProductVectorFeed, type SnapshotStore } from '@serendip/vectors';
import type { EmbeddingJobs } from './embedding-jobs';
import type { ProductEmbeddingStore } from './product-embedding.store';

/**
 * Query embedding (from the worker pool) against the product embeddings of the same model version,
 * in the platform's one vector index (`@serendip/vectors`, HNSW, as the recommendation replicas use):
 * loaded at start from the newest index snapshot and the feed's vectors written since (or the whole
 * feed when there is none), then kept up to date every `refreshMs` with what was embedded since, so
 * new products appear within that time and a search never scans every vector.
 */
export class SemanticSearch {
  private readonly sync: ProductIndexSync;

  constructor(
    feed: ProductVectorFeed,
    /** Only what a search asks of the queue, so pnpm eval:search can embed in-process through this very code. */
    private readonly jobs: Pick<EmbeddingJobs, 'embedQuery'>,
    options: { refreshMs?: number; snapshots?: SnapshotStore } = {},
  ) {
    // The replicas' snapshots serve here too: the feed is the same, and so are its cursors.
    this.sync = new ProductIndexSync(feed, { refreshMs: options.refreshMs ?? 30_000, snapshots: options.snapshots, name: 'semantic search index' }).start();
  }

  /** Whether the index has read the whole feed at start. */
  get loaded(): boolean {
    return this.sync.loaded;
  }

  /** Resolves once the index has read the whole feed at start. */
  get ready(): Promise<void> {
    return this.sync.ready;
  }

  async search(text: string, k: number): Promise<{ productId: string; score: number }[]> {
    const query = await this.jobs.embedQuery(text);
    // A query from another model version than the index's is not comparable with its vectors
    // (during an upgrade, until the index is rebuilt): nothing rather than noise.
    if (this.sync.embeddingModel !== `${query.model}@${query.version}` || this.sync.index.size === 0) return [];
    return this.sync.index.search(embeddingVector(query), k).map((hit) => ({ productId: hit.productId, score: hit.similarity }));
  }

  stop(): Promise<void> {
    return this.sync.stop();
  }
}

/**
 * Queues embeddings for every product whose stored embedding is missing, of another model
 * version, or of changed text, and returns how many. Runs at every start and catches anything a
 * lost enqueue (Redis down during a write) or a bulk import left behind. Jobs are keyed by their
 * products' texts, so a restart while nothing was embedded yet queues nothing new; one after part
 * of the work was done may queue some products twice, which only repeats their (idempotent) store.
 */
export async function backfillProductEmbeddings(store: ProductEmbeddingStore, jobs: EmbeddingJobs, model: string, pageSize = 1000): Promise<number> {
  let after = '0';
  let enqueued = 0;
  for (;;) {
    const page = await store.stale(model, jobs.modelVersion, after, pageSize);
    enqueued += await jobs.embedProducts(page.items);
    if (!page.scanned) return enqueued;
    after = page.scanned;
  }
}
