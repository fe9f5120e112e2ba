import { createTestDatabases, dropTestDatabases } from '@serendip/testing';
import { CatalogueImportStore, openCatalogueDataSource } from '../src';
import { ProductEmbeddingStore } from '../src/embedding/product-embedding.store';
import { catalogueTestConfig } from './support';

const config = catalogueTestConfig();
let opened: Awaited<ReturnType<typeof openCatalogueDataSource>>;
let embeddings: ProductEmbeddingStore;
let ids: string[];

const vector = (seed: number) => Float32Array.from([Math.cos(seed), Math.sin(seed), 0]);

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  opened = await openCatalogueDataSource(config);
  const catalogue = new CatalogueImportStore(opened.dataSource);
  const categoryId = await catalogue.upsertCategoryPath(['Beauty', 'Skin care']);
  const bySku = await catalogue.upsertProducts(
    Array.from({ length: 7 }, (_, i) => ({
      sku: `EMB-${i}`,
      title: `Face cream ${i}`,
      categoryId,
      brand: i === 0 ? 'Aveeno' : null,
      price: 10,
      tags: i === 0 ? ['moisturising'] : [],
    })),
  );
  ids = [...bySku.values()].sort((a, b) => Number(a) - Number(b));
  embeddings = new ProductEmbeddingStore(opened.dataSource);
});

afterAll(async () => {
  await opened.dataSource.destroy();
  await dropTestDatabases(config, ['catalogue']);
});

describe('ProductEmbeddingStore', () => {
  it('builds the text to embed from title, brand, category and tags', async () => {
    const [first] = await embeddings.texts([ids[0]!, '999999']);
    expect(first?.text).toBe('Face cream 0 | Aveeno | Skin care | moisturising');
    expect(first?.textHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('finds what is stale, pages through the catalogue, and round-trips vectors', async () => {
    const firstPage = await embeddings.stale('m', 'v1', '0', 5);
    expect(firstPage.items.map((item) => item.productId)).toEqual(ids.slice(0, 5));
    expect(firstPage.scanned).toBe(ids[4]);
    const secondPage = await embeddings.stale('m', 'v1', firstPage.scanned!, 5);
    expect(secondPage.items.map((item) => item.productId)).toEqual(ids.slice(5));
    expect(secondPage.scanned).toBeNull();

    const all = [...firstPage.items, ...secondPage.items];
    await embeddings.upsert(
      'm',
      'v1',
      all.map((item, i) => ({ productId: item.productId, textHash: item.textHash, vector: vector(i) })),
    );
    expect((await embeddings.stale('m', 'v1', '0', 100)).items).toEqual([]);
    expect(await embeddings.count('m', 'v1')).toBe(7);
    const loaded = await embeddings.vectorsOf('m', 'v1', ids);
    expect([...loaded.keys()].sort()).toEqual([...ids].sort());
    expect(loaded.get(ids[3]!)).toEqual(vector(3));

    // A new model version makes everything stale again; another model is independent.
    expect((await embeddings.stale('m', 'v2', '0', 100)).items).toHaveLength(7);
    expect((await embeddings.stale('other', 'v1', '0', 100)).items).toHaveLength(7);
  });

  it('marks a product stale when its text changes', async () => {
    await opened.dataSource.query("UPDATE product SET title = 'Night cream 6' WHERE id = ?", [ids[6]]);
    const stale = await embeddings.stale('m', 'v1', '0', 100);
    expect(stale.items.map((item) => item.productId)).toEqual([ids[6]]);
    expect(stale.items[0]!.text).toBe('Night cream 6 | Skin care');
  });
});
