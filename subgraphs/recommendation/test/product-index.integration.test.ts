import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { ProductEmbeddingStore } from '../../catalogue/src/embedding/product-embedding.store';
import { CatalogueImportStore } from '../../catalogue/src/import/catalogue-import.store';
import { ProductIndexSync, type ProductVectorFeed } from '@serendip/vectors';
import { ProductVectorFeedClient } from '../src/candidates/product-vector-feed.client';

const env = testEnv({ CATALOGUE_PORT: '0' });
const config = loadCatalogueConfig(env);
const DIMENSION = 16;
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let store: ProductEmbeddingStore;
let model: string;
let version: string;
let categories: string[];
/** Product ids in id order. */
let ids: string[];
let sync: ProductIndexSync | null = null;
let modelsDir: string | null = null;
let nextCatalogue: typeof catalogue | null = null;

const unit = (seed: number) => {
  const vector = Float32Array.from({ length: DIMENSION }, (_, i) => Math.sin(seed * 13 + i * 0.7));
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

/** The index reads vectors back to 8 bits: each value within half a step (1/254 of the largest) of the unit vector written. */
const expectVector = (actual: Float32Array | null, expected: Float32Array) => {
  expect(actual).toHaveLength(expected.length);
  actual!.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThanOrEqual(1 / 254));
};

const embed = (rows: [productId: string, seed: number][], modelVersion = version) =>
  store.upsert(
    model,
    modelVersion,
    rows.map(([productId, seed]) => ({ productId, textHash: '0'.repeat(64), vector: unit(seed) })),
  );

/** Waits (with a deadline) until `check` holds: new vectors settle in the catalogue before it serves them. */
async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  catalogue = await startCatalogueSubgraph(config);
  if (!catalogue.embeddings) throw new Error('the committed embedding model should be configured in tests');
  model = catalogue.embeddings.model;
  version = catalogue.embeddings.modelVersion;
  store = new ProductEmbeddingStore(catalogue.dataSource);
  const writer = new CatalogueImportStore(catalogue.dataSource);
  categories = [await writer.upsertCategoryPath(['Garden']), await writer.upsertCategoryPath(['Kitchen'])];
  const bySku = await writer.upsertProducts(
    Array.from({ length: 26 }, (_, i) => ({ sku: `IDX-${i}`, title: `Item ${i}`, categoryId: categories[i % 2]!, brand: null, price: 5, tags: [] })),
  );
  ids = [...bySku.values()].sort((a, b) => Number(a) - Number(b));
});

afterAll(async () => {
  await sync?.stop();
  await nextCatalogue?.stop();
  await catalogue?.stop();
  if (modelsDir) rmSync(modelsDir, { recursive: true, force: true });
  await dropTestDatabases(config, ['catalogue']);
});

describe('ProductIndexSync against the catalogue', () => {
  let source: ProductVectorFeed;

  it('loads every product vector in pages, then picks up new and re-embedded products', async () => {
    await embed(ids.slice(0, 25).map((id, i) => [id, i]));
    const client = new ProductVectorFeedClient(catalogue.url, config.GATEWAY_SECRET);
    source = client;
    // Delegates, so the last test can point the same sync at another catalogue.
    sync = new ProductIndexSync({ page: (after, first) => source.page(after, first) }, { refreshMs: 100, pageSize: 10, logEveryPages: 2 }).start();
    await sync.ready;
    await until('all 25 vectors are indexed', () => sync!.index.size === 25);

    const index = sync.index;
    expectVector(index.vectorOf(ids[7]!), unit(7));
    expect(index.categoryOf(ids[7]!)).toBe(categories[1]);
    expect(index.categoryOf(ids[8]!)).toBe(categories[0]);
    expect(index.search(unit(7), 1)).toEqual([{ productId: ids[7], similarity: expect.closeTo(1, 4) }]);
    expect(index.has(ids[25]!)).toBe(false);

    await embed([
      [ids[25]!, 25],
      [ids[3]!, 103],
    ]);
    await until('the new product is indexed', () => index.has(ids[25]!));
    await until('the re-embedded product has its new vector', () => index.search(unit(103), 1)[0]?.productId === ids[3]);
    expect(index.size).toBe(26);
    expectVector(index.vectorOf(ids[3]!), unit(103));
    expectVector(index.vectorOf(ids[25]!), unit(25));
    // The newest product by creation is the last one created.
    expect(index.newest(1)).toEqual([ids[25]]);
  });

  it('keeps serving and retries when the catalogue fails, and refresh reports the failure', async () => {
    const working = source;
    // Let a catch-up in flight finish first, so the next one is sure to read from the failing feed.
    await sync!.refresh();
    source = new ProductVectorFeedClient(catalogue.url, 'not-the-gateway-secret');
    // The client is told the feed is unavailable; the catalogue's own refusal stays in the logs.
    await expect(sync!.refresh()).rejects.toThrow(/not available/);
    expect(sync!.index.size).toBe(26);
    await embed([[ids[0]!, 200]]);
    source = working;
    await until('the loop resumes after the failure', () => sync!.index.search(unit(200), 1)[0]?.productId === ids[0]);
  });

  it('rebuilds the index when the catalogue serves another model version', async () => {
    // The same model under a new version: a models folder whose config.json says 9.9.9.
    modelsDir = mkdtempSync(join(tmpdir(), 'serendip-models-'));
    const original = join(config.MODELS_DIR, config.EMBEDDING_MODEL);
    const copy = join(modelsDir, config.EMBEDDING_MODEL);
    mkdirSync(copy, { recursive: true });
    for (const entry of readdirSync(original)) {
      if (entry !== 'config.json') symlinkSync(join(original, entry), join(copy, entry));
    }
    const modelConfig = JSON.parse(readFileSync(join(original, 'config.json'), 'utf8')) as { serendip: Record<string, unknown> };
    writeFileSync(join(copy, 'config.json'), JSON.stringify({ ...modelConfig, serendip: { ...modelConfig.serendip, version: '9.9.9' } }));
    nextCatalogue = await startCatalogueSubgraph(loadCatalogueConfig({ ...env, MODELS_DIR: modelsDir }));
    expect(nextCatalogue.embeddings?.modelVersion).toBe('9.9.9');

    const before = sync!.index;
    await embed(
      ids.slice(0, 4).map((id, i) => [id, 300 + i]),
      '9.9.9',
    );
    source = new ProductVectorFeedClient(nextCatalogue.url, config.GATEWAY_SECRET);
    await until('a rebuilt index is served', () => sync!.index !== before);
    await until('the rebuilt index has every 9.9.9 vector', () => sync!.index.size === 4);
    expectVector(sync!.index.vectorOf(ids[2]!), unit(302));
    expect(sync!.index.has(ids[10]!)).toBe(false);
  });
});
