import { createTestDatabases, dropTestDatabases } from '@serendip/testing';
import { openCatalogueDataSource } from '../src/data-source';
import { ProductService } from '../src/product/product.service';
import { catalogueTestConfig } from './support';

/** The migration that indexes Chinese products by their jieba words, run over products written before it. */
const config = catalogueTestConfig();

beforeAll(() => createTestDatabases(config, ['catalogue']));
afterAll(() => dropTestDatabases(config, ['catalogue']));

it('fills search_tokens for the products already there (Chinese ones whole, others their short words), and their words are found', async () => {
  const { dataSource } = await openCatalogueDataSource(config);
  try {
    while ((await dataSource.query<{ name: string }[]>("SELECT name FROM migrations WHERE name = 'ProductSearchTokens1765670400000'")).length > 0) {
      await dataSource.undoLastMigration({ transaction: 'each' });
    }
    await dataSource.query("INSERT INTO category (name, slug, path, depth) VALUES ('Audio', 'audio', '/1/', 0)");
    const [category] = await dataSource.query<{ id: string }[]>("SELECT id FROM category WHERE slug = 'audio'");
    await dataSource.query(
      `INSERT INTO product (sku, title, description, category_id, brand, price, currency, tags) VALUES
       ('ZH-1', '无线蓝牙降噪耳机', '长续航', ?, NULL, 899, 'CNY', '[]'),
       ('EN-1', 'Studio Headphones', '', ?, 'Acme', 99, 'USD', '[]'),
       ('MIX-1', 'Travel adapter', '适合出差', ?, NULL, 20, 'USD', '[]'),
       ('EN-2', 'Samsung 4K TV', '', ?, NULL, 700, 'USD', '[]')`,
      [category!.id, category!.id, category!.id, category!.id],
    );

    await dataSource.runMigrations({ transaction: 'each' });

    const rows = await dataSource.query<{ sku: string; tokens: string | null }[]>('SELECT sku, search_tokens AS tokens FROM product ORDER BY sku');
    // English words FULLTEXT indexes itself stay out; those too short for it are in.
    expect(rows.find((row) => row.sku === 'EN-1')?.tokens).toBeNull();
    expect(rows.find((row) => row.sku === 'EN-2')?.tokens).toBe('w_4k w_tv w_4k w_tv w_4k w_tv');
    expect(rows.find((row) => row.sku === 'ZH-1')?.tokens?.split(' ')).toEqual(expect.arrayContaining(['w_蓝牙', 'w_耳机', 'w_长', 'w_续航']));
    // A product with Han text in one field is indexed whole, its Latin words too.
    expect(rows.find((row) => row.sku === 'MIX-1')?.tokens?.split(' ')).toEqual(expect.arrayContaining(['w_travel', 'w_adapter', 'w_出差']));
    const search = new ProductService(dataSource);
    expect((await search.search('耳机', 10)).map((hit) => hit.product.sku)).toEqual(['ZH-1']);
    expect((await search.search('出差', 10)).map((hit) => hit.product.sku)).toEqual(['MIX-1']);
    expect((await search.search('tv', 10)).map((hit) => hit.product.sku)).toEqual(['EN-2']);
  } finally {
    await dataSource.destroy();
  }
});
