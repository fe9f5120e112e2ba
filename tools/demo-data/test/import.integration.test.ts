import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseName } from '@serendip/db';
import { createTestDatabases, dropTestDatabases, testAdminConnection, testEnv } from '@serendip/testing';
import { loadDemoDataConfig } from '../src/config';
import { DATA_FILES, DataDirectoryError, importDemoData, type ImportProgress } from '../src/import';
import { writeFixtureDataDir } from './fixture-data';

const env = testEnv();
const config = loadDemoDataConfig(env);
let dataDir: string;

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue', 'user', 'recommendation', 'feedback']);
  dataDir = await mkdtemp(join(tmpdir(), 'serendip-demo-data-'));
  await writeFixtureDataDir(dataDir);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await dropTestDatabases(config, ['catalogue', 'user', 'recommendation', 'feedback']);
});

// Worked out by hand from test/fixture-data.ts (see the plan tests for the per-source rows).
const EXPECTED = {
  // Beauty 10 (the root; 17, 17/28, 17/28/29, 17/28/30, 17/2; 4, 4/14; 8, 8/60), Home & Gifts 1,
  // REES46 8 (Unlabelled and one id below it, two 3-level paths), Clothing 5, Chinese 2.
  categories: 26,
  // Beauty 6, Online Retail 2, REES46 3, clothing 2, Chinese 2.
  products: 15,
  // Beauty 3, Online Retail 2, REES46 3, clothing reviewers 3, Chinese reviewers 5.
  shoppers: 16,
  // Beauty 9, Online Retail 4, REES46 6.
  events: 19,
  // clothing 3, Chinese 5.
  reviews: 8,
};

describe('importDemoData on MariaDB', () => {
  it('refuses a data directory without the data sets, naming the missing files', async () => {
    const missing = join(dataDir, 'nowhere');
    const attempt = importDemoData({ config, dataDir: missing, profile: 'demo' });
    await expect(attempt).rejects.toBeInstanceOf(DataDirectoryError);
    await expect(attempt).rejects.toMatchObject({ dataDir: missing, missing: DATA_FILES });
  });

  it('imports every source, linked across the four databases, and reports progress per stage', async () => {
    const progress: ImportProgress[] = [];
    const result = await importDemoData({ config, dataDir, profile: 'demo', onProgress: (event) => progress.push(event) });

    expect(result.skipped).toBe(false);
    expect(result.totals).toEqual(EXPECTED);
    expect(result.planned).toEqual({ ...EXPECTED, categories: 14 });
    expect(result.added).toEqual({ events: EXPECTED.events, reviews: EXPECTED.reviews });
    expect(result.skippedRows).toEqual({
      'retail: non-product lines (postage, manual, discount, carriage, bank charges)': 1,
      'retail: cancellation lines': 1,
      'clothing: reviews without title or text': 1,
    });
    const finished = progress.filter((event) => event.done === event.total).map((event) => event.stage);
    expect(finished).toEqual(['read', 'categories', 'products', 'shoppers', 'events', 'reviews', 'popularity']);

    // Every event and review must point at a real product, category and user in the other databases
    // (read as the admin account: no subgraph's account reaches another's database).
    const sql = await testAdminConnection(config);
    const query = async <T>(statement: string): Promise<T> => (await sql.query(statement))[0] as T;
    try {
      const db = (owner: 'catalogue' | 'user' | 'recommendation' | 'feedback') => `\`${databaseName(config, owner)}\``;
      const [links] = await query<{ events: string; withProduct: string; withUser: string }[]>(
        `SELECT COUNT(*) AS events,
                SUM(p.id IS NOT NULL AND p.category_id = e.category_id) AS withProduct,
                SUM(u.id IS NOT NULL) AS withUser
           FROM ${db('recommendation')}.behaviour_event e
           LEFT JOIN ${db('catalogue')}.product p ON p.id = e.product_id
           LEFT JOIN ${db('user')}.user u ON u.id = e.user_id`,
      );
      expect(links).toEqual({ events: '19', withProduct: '19', withUser: '19' });

      const reviews = await query<unknown[]>(
        `SELECT p.sku, u.email, r.rating, r.language, r.client_review_id AS clientReviewId
           FROM ${db('feedback')}.review r
           JOIN ${db('catalogue')}.product p ON p.id = r.product_id
           JOIN ${db('user')}.user u ON u.id = r.user_id
          WHERE r.client_review_id = 'clothing-2'`,
      );
      expect(reviews).toEqual([
        { sku: 'clothing-1077', email: 'reviewer-clothing-2@demo.serendip.dev', rating: 3, language: 'en', clientReviewId: 'clothing-2' },
      ]);

      const [popular] = await query<{ sku: string; score: number }[]>(
        `SELECT p.sku, pp.score FROM ${db('recommendation')}.product_popularity pp
           JOIN ${db('catalogue')}.product p ON p.id = pp.product_id
          ORDER BY pp.score DESC, p.sku LIMIT 1`,
      );
      // 84879 was bought three times (weight 5 each); no other product comes close.
      expect(popular).toEqual({ sku: 'retail-84879', score: 15 });

      const [sofa] = await query<unknown[]>(
        `SELECT p.title, p.price, p.currency, c.slug FROM ${db('catalogue')}.product p JOIN ${db('catalogue')}.category c ON c.id = p.category_id WHERE p.sku = 'rees46-17200506'`,
      );
      expect(sofa).toEqual({ title: 'Sofa #17200506', price: '543.10', currency: 'USD', slug: 'furniture/living-room/sofa' });
    } finally {
      await sql.end();
    }
  });

  it('adds nothing when run again', async () => {
    const again = await importDemoData({ config, dataDir, profile: 'demo' });
    expect(again.added).toEqual({ events: 0, reviews: 0 });
    expect(again.totals).toEqual(EXPECTED);
  });

  it('with ifEmpty skips a catalogue that already has products', async () => {
    const progress: ImportProgress[] = [];
    const skipped = await importDemoData({ config, dataDir, profile: 'full', ifEmpty: true, onProgress: (event) => progress.push(event) });
    expect(skipped.skipped).toBe(true);
    expect(skipped.totals).toEqual(EXPECTED);
    expect(progress).toEqual([]);
  });
});
