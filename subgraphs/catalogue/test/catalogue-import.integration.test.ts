import { AppError, ErrorCode } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, subgraphClient } from '@serendip/testing';
import { CatalogueImportStore, openCatalogueDataSource, startCatalogueSubgraph, type ProductRow } from '../src';
import { catalogueTestConfig, type RunningCatalogue } from './support';

const config = catalogueTestConfig();
let opened: Awaited<ReturnType<typeof openCatalogueDataSource>>;

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue']);
  opened = await openCatalogueDataSource(config);
});

afterAll(async () => {
  await opened.dataSource.destroy();
  await dropTestDatabases(config, ['catalogue']);
});

function demoRows(leafIds: string[], count: number): ProductRow[] {
  return Array.from({ length: count }, (_, i) => ({
    sku: `DEMO-${i}`,
    title: `Demo product ${i}`,
    description: i % 2 ? `描述 ${i}` : '',
    categoryId: leafIds[i % leafIds.length]!,
    brand: i % 5 ? 'Initech' : null,
    price: i + 0.99,
    currency: 'USD',
    tags: ['demo', `group-${i % 3}`],
    imageUrl: i % 2 ? `https://img.example.com/${i}.png` : null,
  }));
}

async function importDemo(store: CatalogueImportStore): Promise<Map<string, string>> {
  const shoes = await store.upsertCategoryPath(['Fashion', 'Shoes']);
  const boots = await store.upsertCategoryPath(['Fashion', 'Shoes', 'Boots']);
  const phones = await store.upsertCategoryPath(['数码', '手机']);
  return store.upsertProducts(demoRows([shoes, boots, phones], 120));
}

describe('CatalogueImportStore', () => {
  it('imports categories and products idempotently in chunks', async () => {
    const first = new CatalogueImportStore(opened.dataSource, 50);
    const ids = await importDemo(first);
    expect(ids.size).toBe(120);
    expect(await first.countProducts()).toBe(120);
    expect(await first.countCategories()).toBe(5);

    // A fresh store has an empty cache, as a second run of the importer would.
    const second = new CatalogueImportStore(opened.dataSource, 50);
    const again = await importDemo(second);
    expect(again).toEqual(ids);
    expect(await second.countProducts()).toBe(120);
    expect(await second.countCategories()).toBe(5);

    const [boots] = await opened.dataSource.query<
      {
        slug: string;
        depth: number;
        path: string;
      }[]
    >("SELECT slug, depth, path FROM category WHERE name = 'Boots'");
    expect(boots).toMatchObject({ slug: 'fashion/shoes/boots', depth: 2 });
    expect(boots!.path).toMatch(/^\/\d+\/\d+\/\d+\/$/);
  });

  it('overwrites existing skus and is visible through the subgraph', async () => {
    const store = new CatalogueImportStore(opened.dataSource);
    const leaf = await store.upsertCategoryPath(['Fashion', 'Hats']);
    const ids = await store.upsertProducts([
      { sku: 'DEMO-1', title: 'Renamed demo', description: '', categoryId: leaf, brand: 'Hatco', price: 5, currency: 'EUR', tags: ['Hat'], imageUrl: null },
    ]);
    const before = await store.countProducts();
    expect(before).toBe(120);

    const subgraph: RunningCatalogue = await startCatalogueSubgraph(config);
    try {
      const call = subgraphClient(subgraph.url);
      const read = await call<{ product: { title: string; price: number; currency: string; tags: string[]; category: { path: { name: string }[] } } }>(
        'query ($id: ID!) { product(id: $id) { title price currency tags category { path { name } } } }',
        { id: ids.get('DEMO-1') },
      );
      expect(read.data?.product).toEqual({
        title: 'Renamed demo',
        price: 5,
        currency: 'EUR',
        tags: ['hat'],
        category: { path: [{ name: 'Fashion' }, { name: 'Hats' }] },
      });
      const fashion = await call<{ categories: { name: string; productCount: number }[] }>('{ categories { name productCount } }');
      expect(fashion.data?.categories).toEqual([
        { name: 'Fashion', productCount: 80 },
        { name: '数码', productCount: 40 },
      ]);
    } finally {
      await subgraph.stop();
    }
  });

  it('validates every row before writing any', async () => {
    const store = new CatalogueImportStore(opened.dataSource, 2);
    const leaf = await store.upsertCategoryPath(['Fashion', 'Shoes']);
    const rows = demoRows([leaf], 4).map((row) => ({ ...row, sku: `NEW-${row.sku}` }));
    rows[3] = { ...rows[3]!, price: -1 };
    await expect(store.upsertProducts(rows)).rejects.toMatchObject({ code: ErrorCode.BadUserInput, details: { field: 'rows[3].price' } });
    const unknown = rows.slice(0, 3).concat({ ...rows[0]!, sku: 'NEW-X', categoryId: '987654' });
    const failure = await store.upsertProducts(unknown).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe(ErrorCode.NotFound);
    expect(await store.countProducts()).toBe(120);
    await expect(store.upsertCategoryPath([])).rejects.toMatchObject({ code: ErrorCode.BadUserInput });
    await expect(store.upsertCategoryPath(['Fashion', '  '])).rejects.toMatchObject({ code: ErrorCode.BadUserInput });
  });
});
