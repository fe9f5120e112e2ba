import { join } from 'node:path';
import { createTestDatabases, dropTestDatabases, runTsCommand, testEnv } from '@serendip/testing';
import { loadCatalogueConfig } from '../src/config';
import { openCatalogueDataSource } from '../src/data-source';
import { ProductService } from '../src/product/product.service';

/** The migration that writes products' search words, run over products written before it, and the command that repairs them. */
const env = testEnv({ CATALOGUE_PORT: '0' });
const config = loadCatalogueConfig(env);

/** Runs the command as `pnpm catalogue:search-words` does, on this file's throwaway database. */
const searchWords = (...args: string[]) => runTsCommand(join(__dirname, '..', 'src', 'search-words-cli.ts'), args, env);

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

// The command starts as its own process (tsx compiles it at each start): generous time on a busy machine.
it('catalogue:search-words rewrites the words a release without them left stale, and only those', async () => {
  const { dataSource } = await openCatalogueDataSource(config);
  try {
    const [category] = await dataSource.query<{ id: string }[]>('SELECT id FROM category LIMIT 1');
    // As a replica of the release before writes: a new Chinese product without words, a product
    // turned English whose Chinese words stay behind.
    await dataSource.query(
      "INSERT INTO product (sku, title, description, category_id, price, currency, tags) VALUES ('ZH-NEW', '保温杯', '', ?, 59, 'CNY', '[]')",
      [category!.id],
    );
    await dataSource.query("UPDATE product SET title = 'Wireless headphones' WHERE sku = 'ZH-1'");
    const search = new ProductService(dataSource);
    expect(await search.search('保温杯', 10)).toEqual([]);
    const stamps = () =>
      dataSource.query<{ sku: string; at: string }[]>("SELECT sku, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS at FROM product ORDER BY sku");
    const before = await stamps();

    expect((await searchWords('now')).code).toBe(64);
    const run = await searchWords();
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/products read, 2 rewritten/);
    expect(JSON.parse(run.out.trim().split('\n').pop()!)).toMatchObject({ products: 5, written: 2 });
    expect((await search.search('保温杯', 10)).map((hit) => hit.product.sku)).toEqual(['ZH-NEW']);
    expect(await search.search('耳机', 10)).toEqual([]);
    // Its description is still Chinese, so all its words are written: the new title's among them.
    const [rewritten] = await dataSource.query<{ tokens: string | null }[]>("SELECT search_tokens AS tokens FROM product WHERE sku = 'ZH-1'");
    expect(rewritten!.tokens).toBe('w_wireless w_headphone w_wireless w_headphone w_wireless w_headphone w_长 w_续航');

    // The words are no change a reader of the product sees: updated_at stays as it was.
    expect(await stamps()).toEqual(before);

    const again = await searchWords();
    expect(JSON.parse(again.out.trim().split('\n').pop()!)).toMatchObject({ products: 5, written: 0 });
  } finally {
    await dataSource.destroy();
  }
}, 60_000);
