/**
 * Real products written straight into a catalogue database with the catalogue's own stores, with
 * their real embeddings: what the benches and evaluations that need a filled catalogue share
 * (pnpm bench:recommend, pnpm eval:search). Vectors come from the platform's embedder run in this
 * process on the very text the worker would embed (`ProductEmbeddingStore.texts`), and are kept in
 * a git-ignored file under .run/ so that a rerun embeds only texts it has not seen.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ProductDraft } from '../tools/demo-data/src/plan';
import { createEmbedder, loadInferenceConfig, type Embedder } from '../packages/inference/src';
import { decodeVector, encodeVector } from '../packages/jobs/src';
import type { openCatalogueDataSource } from '../subgraphs/catalogue/src/data-source';
import { ProductEmbeddingStore } from '../subgraphs/catalogue/src/embedding/product-embedding.store';
import { CatalogueImportStore } from '../subgraphs/catalogue/src/import/catalogue-import.store';

/** typeorm is a dependency of the subgraphs, not of the root: name its DataSource through them. */
export type CatalogueDataSource = Awaited<ReturnType<typeof openCatalogueDataSource>>['dataSource'];

/** Products per upsertProducts call. */
export const PRODUCT_CHUNK = 10_000;
/** Vectors per INSERT: ~1.6 MB of escaped blobs, well under max_allowed_packet. */
export const VECTOR_CHUNK = 2000;
const EMBED_BATCH = 256;

/** Real vectors by text hash, for one model version, kept between runs in `file`. */
export class EmbeddingCache {
  private readonly vectors = new Map<string, Float32Array>();
  private embedder: Embedder | null = null;

  private constructor(
    private readonly file: string,
    private readonly modelKey: string,
    private readonly progress: (message: string) => void,
  ) {}

  /** `modelKey` is `<model>@<version>` of what the catalogue serves; vectors of another one in the file are dropped. */
  static async open(file: string, modelKey: string, progress: (message: string) => void): Promise<EmbeddingCache> {
    const cache = new EmbeddingCache(file, modelKey, progress);
    const text = await readFile(file, 'utf8').catch(() => '');
    const [header, ...lines] = text.split('\n').filter((line) => line.length > 0);
    // Vectors of another model or version are useless here; they are replaced on the next write.
    if (header && (JSON.parse(header) as { model?: string }).model === modelKey) {
      for (const line of lines) {
        const { h, v } = JSON.parse(line) as { h: string; v: string };
        cache.vectors.set(h, decodeVector(v));
      }
    }
    return cache;
  }

  get size(): number {
    return this.vectors.size;
  }

  /** The vector of each text, embedding (and saving) the ones not seen before. */
  async vectorsOf(texts: { text: string; textHash: string }[]): Promise<Map<string, Float32Array>> {
    const missing = [...new Map(texts.filter((item) => !this.vectors.has(item.textHash)).map((item) => [item.textHash, item.text]))];
    if (missing.length > 0) {
      const config = loadInferenceConfig({ ...process.env, INFERENCE_THREADS: '2' });
      this.embedder ??= await createEmbedder(config);
      if (`${this.embedder.model}@${this.embedder.version}` !== this.modelKey) {
        throw new Error(`the embedder loaded ${this.embedder.model}@${this.embedder.version}, the catalogue serves ${this.modelKey}`);
      }
      const started = performance.now();
      for (let start = 0; start < missing.length; start += EMBED_BATCH) {
        const batch = missing.slice(start, start + EMBED_BATCH);
        const vectors = await this.embedder.embed(batch.map(([, text]) => text));
        batch.forEach(([hash], index) => this.vectors.set(hash, vectors[index]!));
        if ((start / EMBED_BATCH) % 10 === 9) this.progress(`embedded ${start + batch.length}/${missing.length} real texts`);
      }
      const seconds = (performance.now() - started) / 1000;
      this.progress(`embedded ${missing.length} real texts in ${seconds.toFixed(1)} s (${(missing.length / seconds).toFixed(0)}/s)`);
      await this.save();
    }
    return new Map(texts.map((item) => [item.textHash, this.vectors.get(item.textHash)!]));
  }

  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const lines = [JSON.stringify({ model: this.modelKey }), ...[...this.vectors].map(([h, v]) => JSON.stringify({ h, v: encodeVector(v) }))];
    await writeFile(this.file, `${lines.join('\n')}\n`);
  }

  async close(): Promise<void> {
    await this.embedder?.dispose();
  }
}

export interface WrittenProducts {
  /** Product id by sku. */
  ids: Map<string, string>;
  /** Category id by the path's JSON (`JSON.stringify(categoryPath)`). */
  categoryIds: Map<string, string>;
  /** The stored vector by product id. */
  vectors: Map<string, Float32Array>;
}

/**
 * Writes the products (categories first) and their vectors under `model`, exactly as the catalogue
 * would hold them after its worker embedded them, so nothing is left for a backfill to embed.
 */
export async function writeProducts(
  catalogue: CatalogueDataSource,
  products: readonly ProductDraft[],
  cache: EmbeddingCache,
  model: { name: string; version: string },
): Promise<WrittenProducts> {
  const store = new CatalogueImportStore(catalogue);
  const embeddings = new ProductEmbeddingStore(catalogue);
  const categoryIds = new Map<string, string>();
  for (const product of products) {
    const key = JSON.stringify(product.categoryPath);
    if (!categoryIds.has(key)) categoryIds.set(key, await store.upsertCategoryPath(product.categoryPath));
  }
  const ids = new Map<string, string>();
  for (let start = 0; start < products.length; start += PRODUCT_CHUNK) {
    const chunk = products.slice(start, start + PRODUCT_CHUNK).map(({ categoryPath, ...fields }) => ({
      ...fields,
      categoryId: categoryIds.get(JSON.stringify(categoryPath))!,
      imageUrl: null,
    }));
    for (const [sku, id] of await store.upsertProducts(chunk)) ids.set(sku, id);
  }
  // The texts exactly as the worker would read and embed them.
  const texts = [];
  const productIds = [...ids.values()];
  for (let start = 0; start < productIds.length; start += PRODUCT_CHUNK)
    texts.push(...(await embeddings.texts(productIds.slice(start, start + PRODUCT_CHUNK))));
  const byHash = await cache.vectorsOf(texts);
  const rows = texts.map((text) => ({ productId: text.productId, textHash: text.textHash, vector: byHash.get(text.textHash)! }));
  for (let start = 0; start < rows.length; start += VECTOR_CHUNK) await embeddings.upsert(model.name, model.version, rows.slice(start, start + VECTOR_CHUNK));
  return { ids, categoryIds, vectors: new Map(rows.map((row) => [row.productId, row.vector])) };
}
