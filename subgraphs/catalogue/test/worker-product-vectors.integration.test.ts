import { textHash } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases } from '@serendip/testing';
import { CatalogueImportStore, openCatalogueDataSource, WorkerProductVectors } from '../src';
import { ProductEmbeddingStore } from '../src/embedding/product-embedding.store';
import { catalogueTestConfig } from './support';

const config = catalogueTestConfig();
let opened: Awaited<ReturnType<typeof openCatalogueDataSource>>;
let ids: string[];

const vector = (seed: number) => Float32Array.from([Math.cos(seed), Math.sin(seed), 0]);

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  opened = await openCatalogueDataSource(config);
  const catalogue = new CatalogueImportStore(opened.dataSource);
  const categoryId = await catalogue.upsertCategoryPath(['Beauty', 'Skin care']);
  const bySku = await catalogue.upsertProducts(
    Array.from({ length: 3 }, (_, i) => ({ sku: `SINK-${i}`, title: `Hand cream ${i}`, categoryId, brand: null, price: 10, tags: [] })),
  );
  ids = [...bySku.values()].sort((a, b) => Number(a) - Number(b));
});

afterAll(async () => {
  await opened.dataSource.destroy();
  await dropTestDatabases(config, ['catalogue']);
});

describe('the worker-facing product vectors (sink and source on one connection)', () => {
  it('stores vectors of several models in one call, stale no more, and reads them back with the texts', async () => {
    const vectors = await WorkerProductVectors.open(config);
    try {
      const texts = await vectors.texts(ids);
      expect(texts.map((text) => text.productId)).toEqual(ids);
      await vectors.store([
        ...texts.map((text, i) => ({ productId: text.productId, model: 'm', version: 'v1', vector: vector(i), textHash: textHash(text.text) })),
        { productId: ids[0]!, model: 'other', version: 'v1', vector: vector(9), textHash: textHash(texts[0]!.text) },
      ]);
      const embeddings = new ProductEmbeddingStore(opened.dataSource);
      expect((await embeddings.stale('m', 'v1', '0', 100)).items).toEqual([]);
      expect((await embeddings.stale('other', 'v1', '0', 100)).items.map((item) => item.productId)).toEqual(ids.slice(1));

      const v1 = await vectors.vectorsOf('m', 'v1', [...ids, '999999']);
      expect([...v1.keys()].sort()).toEqual([...ids].sort());
      expect(v1.get(ids[2]!)).toEqual(vector(2));
      expect([...(await vectors.vectorsOf('other', 'v1', ids)).entries()]).toEqual([[ids[0]!, vector(9)]]);
    } finally {
      await vectors.close();
    }
  });
});
