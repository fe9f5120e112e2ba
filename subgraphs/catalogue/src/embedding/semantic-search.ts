import type { EmbeddingJobs } from './embedding-jobs';
import type { ProductEmbeddingStore } from './product-embedding.store';
import { VectorIndex } from './vector-index';

/**
 * Query embedding (from the worker pool) against the stored product embeddings of the same model
 * version. The in-memory index is reloaded from MySQL when it is older than `refreshMs`, so products
 * embedded since appear within that time; any replica serves the same results.
 */
export class SemanticSearch {
  private cached: { key: string; index: VectorIndex; loadedAt: number } | null = null;
  private loading: Promise<VectorIndex> | null = null;

  constructor(
    private readonly store: ProductEmbeddingStore,
    /** Only what a search asks of the queue, so pnpm eval:search can embed in-process through this very code. */
    private readonly jobs: Pick<EmbeddingJobs, 'embedQuery' | 'modelVersion'>,
    private readonly model: string,
    private readonly refreshMs = 30_000,
  ) {}

  async search(text: string, k: number): Promise<{ productId: string; score: number }[]> {
    const query = await this.jobs.embedQuery(text);
    const index = await this.index(query.model === this.model ? query.version : this.jobs.modelVersion);
    if (index.size === 0 || index.dimension !== query.embedding.length) return [];
    return index.search(Float32Array.from(query.embedding), k).map((hit) => ({ productId: hit.id, score: hit.score }));
  }

  private async index(version: string): Promise<VectorIndex> {
    const key = `${this.model}@${version}`;
    if (this.cached && this.cached.key === key && Date.now() - this.cached.loadedAt < this.refreshMs) return this.cached.index;
    // One reload at a time: concurrent searches after expiry share it.
    this.loading ??= this.store
      .load(this.model, version)
      .then((rows) => {
        const index = VectorIndex.fromRows(rows, rows[0]?.vector.length ?? 0);
        this.cached = { key, index, loadedAt: Date.now() };
        return index;
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
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
