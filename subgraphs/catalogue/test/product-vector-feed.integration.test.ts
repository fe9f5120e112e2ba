import { ANONYMOUS, type Identity } from '@serendip/federation';
import { decodeVector } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient } from '@serendip/testing';
import { startCatalogueSubgraph } from '../src/app';
import { ProductEmbeddingStore } from '../src/embedding/product-embedding.store';
import { CatalogueImportStore } from '../src/import/catalogue-import.store';
import { catalogueTestConfig, SHOPPER, type RunningCatalogue } from './support';

/** How subgraphs call each other (ServiceClient): a user-less identity with the service role. */
const SERVICE: Identity = { userId: null, roles: ['service'], service: 'recommendation' };

const FEED = `query ($after: String, $first: Int) {
  productVectorFeed(after: $after, first: $first) {
    model modelVersion hasNextPage endCursor
    items { productId categoryId createdAt updatedAt vector }
  }
}`;

interface FeedPage {
  model: string;
  modelVersion: string;
  hasNextPage: boolean;
  endCursor: string | null;
  items: { productId: string; categoryId: string; createdAt: string; updatedAt: string; vector: string }[];
}

const config = catalogueTestConfig();
let subgraph: RunningCatalogue;
let call: ReturnType<typeof subgraphClient>;
let store: ProductEmbeddingStore;
let model: string;
let version: string;
let categoryId: string;
/** Product ids in id order. */
let ids: string[];

const unit = (seed: number, dimension = 8) => {
  const vector = Float32Array.from({ length: dimension }, (_, i) => Math.sin(seed * 7 + i));
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

const feed = (variables: { after?: string | null; first?: number }, identity: Identity = SERVICE) =>
  call<{ productVectorFeed: FeedPage }>(FEED, variables, identity);

async function page(after: string | null, first: number): Promise<FeedPage> {
  const response = await feed({ after, first });
  if (!response.data) throw new Error(`productVectorFeed failed: ${JSON.stringify(response.errors)}`);
  return response.data.productVectorFeed;
}

/** Every page from `after` to the end. */
async function drain(after: string | null, first: number): Promise<{ pages: FeedPage[]; cursor: string | null }> {
  const pages: FeedPage[] = [];
  let cursor = after;
  for (;;) {
    const next = await page(cursor, first);
    pages.push(next);
    cursor = next.endCursor;
    if (!next.hasNextPage) return { pages, cursor };
  }
}

/** Fresh writes are held back for a moment (FEED_SETTLE_MS); drains until `count` items arrived. */
async function drainUntil(after: string | null, first: number, count: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const drained = await drain(after, first);
    const items = drained.pages.flatMap((p) => p.items);
    if (items.length >= count || Date.now() > deadline) return { ...drained, items };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  subgraph = await startCatalogueSubgraph(config);
  call = subgraphClient(subgraph.url);
  if (!subgraph.embeddings) throw new Error('the committed embedding model should be configured in tests');
  model = subgraph.embeddings.model;
  version = subgraph.embeddings.modelVersion;
  store = new ProductEmbeddingStore(subgraph.dataSource);
  const catalogue = new CatalogueImportStore(subgraph.dataSource);
  categoryId = await catalogue.upsertCategoryPath(['Garden', 'Hoses']);
  const bySku = await catalogue.upsertProducts(
    Array.from({ length: 7 }, (_, i) => ({ sku: `VEC-${i}`, title: `Hose ${i}`, categoryId, brand: null, price: 20, tags: [] })),
  );
  ids = [...bySku.values()].sort((a, b) => Number(a) - Number(b));
});

afterAll(async () => {
  await subgraph?.stop();
  await dropTestDatabases(config, ['catalogue']);
});

describe('productVectorFeed', () => {
  let cursor: string | null = null;

  it('pages through the current model version in write order, then reports only what is written since', async () => {
    const empty = await page(null, 10);
    expect(empty).toEqual({ model, modelVersion: version, hasNextPage: false, endCursor: null, items: [] });

    // Two writes so the order is by time first: ids[3..4] after ids[0..2].
    await store.upsert(
      model,
      version,
      ids.slice(0, 3).map((productId, i) => ({ productId, textHash: 'a'.repeat(64), vector: unit(i) })),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.upsert(
      model,
      version,
      ids.slice(3, 5).map((productId, i) => ({ productId, textHash: 'a'.repeat(64), vector: unit(3 + i) })),
    );
    // Neither another version nor another model belongs in the feed.
    await store.upsert(model, 'another-version', [{ productId: ids[5]!, textHash: 'a'.repeat(64), vector: unit(5) }]);
    await store.upsert('another-model', version, [{ productId: ids[6]!, textHash: 'a'.repeat(64), vector: unit(6) }]);

    const full = await drainUntil(null, 2, 5);
    expect(full.pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
    expect(full.pages.map((p) => p.hasNextPage)).toEqual([true, true, false]);
    expect(full.pages.every((p) => p.model === model && p.modelVersion === version)).toBe(true);
    expect(full.items.map((item) => item.productId)).toEqual(ids.slice(0, 5));
    const updatedAt = full.items.map((item) => Date.parse(item.updatedAt));
    expect([...updatedAt].sort((a, b) => a - b)).toEqual(updatedAt);
    expect(updatedAt[3]).toBeGreaterThan(updatedAt[2]!);

    const products: { id: string; created_at: Date }[] = await subgraph.dataSource.query('SELECT id, created_at FROM product WHERE id IN (?)', [ids]);
    const createdAt = new Map(products.map((row) => [row.id, row.created_at.toISOString()]));
    full.items.forEach((item, i) => {
      expect(item.categoryId).toBe(categoryId);
      expect(item.createdAt).toBe(createdAt.get(item.productId));
      expect(decodeVector(item.vector)).toEqual(unit(i));
    });

    // Caught up: asking again returns nothing and keeps the cursor.
    cursor = full.cursor;
    expect(cursor).not.toBeNull();
    expect(await page(cursor, 2)).toMatchObject({ items: [], hasNextPage: false, endCursor: cursor });
  });

  it('returns re-embedded and newly embedded products after the last cursor, and nothing else', async () => {
    await store.upsert(model, version, [
      { productId: ids[1]!, textHash: 'b'.repeat(64), vector: unit(11) },
      { productId: ids[5]!, textHash: 'b'.repeat(64), vector: unit(15) },
    ]);
    const since = await drainUntil(cursor, 10, 2);
    expect(since.items.map((item) => item.productId)).toEqual([ids[1], ids[5]]);
    expect(decodeVector(since.items[0]!.vector)).toEqual(unit(11));
    expect(decodeVector(since.items[1]!.vector)).toEqual(unit(15));
    expect(since.cursor).not.toBe(cursor);

    // A full scan sees each product once, with its latest vector, the re-embedded one last.
    const full = await drain(null, 1000);
    expect(full.pages.flatMap((p) => p.items.map((item) => item.productId))).toEqual([ids[0], ids[2], ids[3], ids[4], ids[1], ids[5]]);
  });

  it('answers services only', async () => {
    expect(errorCodes(await feed({}, ANONYMOUS))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await feed({}, SHOPPER))).toEqual(['FORBIDDEN']);
  });

  it('refuses cursors it did not issue and page sizes out of range', async () => {
    const forged = Buffer.from(JSON.stringify(['2025-01-01', '1'])).toString('base64url');
    for (const after of ['nonsense', forged, Buffer.from(JSON.stringify(['2025-01-01 00:00:00.000000', '1 OR 1'])).toString('base64url')]) {
      expect(errorCodes(await feed({ after }))).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await feed({ first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await feed({ first: 1001 }))).toEqual(['BAD_USER_INPUT']);
  });
});
