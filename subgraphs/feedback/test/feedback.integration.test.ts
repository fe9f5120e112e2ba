import type { Identity } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, sqlStatements, subgraphClient, testEnv, type GraphQLResponse } from '@serendip/testing';
import { openQueue, QueueName } from '@serendip/jobs';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { startFeedbackSubgraph } from '../src/app';
import { loadFeedbackConfig } from '../src/config';
import { openFeedbackDataSource } from '../src/data-source';
import { ReviewStore, type ImportedReview } from '../src/review/review.store';

const env = testEnv({ CATALOGUE_PORT: '0', FEEDBACK_PORT: '0' });
const catalogueConfig = loadCatalogueConfig(env);
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startFeedbackSubgraph>>;
let call: ReturnType<typeof subgraphClient>;
let store: ReviewStore;

const ADMIN: Identity = { userId: 'admin-1', roles: ['admin'] };
const shopper = (userId: string = randomUUID()): Identity => ({ userId, roles: ['shopper'] });

/** Catalogue products created for this file, handed out so every test reviews products of its own. */
const products: string[] = [];
const takeProducts = (count: number) => products.splice(0, count);

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['feedback', 'catalogue']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  subgraph = await startFeedbackSubgraph(loadFeedbackConfig({ ...env, CATALOGUE_URL: catalogue.url }));
  call = subgraphClient(subgraph.url);
  store = new ReviewStore(subgraph.dataSource);

  const admin = subgraphClient(catalogue.url);
  const category = await admin<{ createCategory: { id: string } }>(
    'mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
    { input: { name: 'Phones' } },
    ADMIN,
  );
  expect(category.errors).toBeUndefined();
  for (let i = 0; i < 70; i += 1) {
    const product = await admin<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { sku: `SKU-${i}`, title: `Phone ${i}`, categoryId: category.data!.createCategory.id, price: 100 + i } },
      ADMIN,
    );
    expect(product.errors).toBeUndefined();
    products.push(product.data!.createProduct.id);
  }
}, 60_000);

afterAll(async () => {
  await subgraph?.stop();
  await catalogue?.stop();
  await dropTestDatabases(catalogueConfig, ['feedback', 'catalogue']);
});

const SUBMIT = `mutation ($input: SubmitReviewInput!) {
  submitReview(input: $input) { id rating text language createdAt author { id } product { id } }
}`;

interface ReviewView {
  id: string;
  rating: number;
  text: string;
  language: string;
  createdAt: string;
  author: { id: string };
  product: { id: string };
}
interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { id: string; rating: number; text: string; createdAt: string; author: { id: string }; product: { id: string } }[];
}

const CONNECTION = 'totalCount pageInfo { hasNextPage endCursor } nodes { id rating text createdAt author { id } product { id } }';
const PRODUCT_REVIEWS = `query ($reps: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $reps) { ... on Product { id reviews(first: $first, after: $after) { ${CONNECTION} } ratingSummary { average count } } }
}`;
const USER_REVIEWS = `query ($reps: [_Any!]!, $first: Int, $after: ID) {
  _entities(representations: $reps) { ... on User { id reviews(first: $first, after: $after) { id rating text createdAt author { id } product { id } } } }
}`;

type ProductEntities = { _entities: { id: string; reviews: Connection; ratingSummary: { average: number | null; count: number } }[] };
type UserEntities = { _entities: { id: string; reviews: Connection['nodes'] }[] };

const submit = (input: Record<string, unknown>, identity: Identity) => call<{ submitReview: ReviewView }>(SUBMIT, { input }, identity);

const productReviews = (ids: string[], first?: number, after?: string) =>
  call<ProductEntities>(PRODUCT_REVIEWS, { reps: ids.map((id) => ({ __typename: 'Product', id })), first, after });

const reviewCount = () => store.countReviews();

/** Demo-style rows: `perProduct` reviews for each product, each by a different shopper. */
function importRows(productIds: string[], perProduct: number, tag: string): ImportedReview[] {
  const rows: ImportedReview[] = [];
  const base = Date.UTC(2024, 0, 1);
  productIds.forEach((productId, p) => {
    for (let r = 0; r < perProduct; r += 1) {
      rows.push({
        userId: `00000000-0000-4000-8000-${String(p * 1000 + r).padStart(12, '0')}`,
        productId,
        rating: (r % 5) + 1,
        text: r % 2 === 0 ? `Review ${r} of product ${productId}` : `第${r}条评价，很好用`,
        createdAt: new Date(base + (p * perProduct + r) * 60_000),
        clientReviewId: `${tag}-${p}-${r}`,
      });
    }
  });
  return rows;
}

describe('feedback subgraph on MariaDB with the real catalogue', () => {
  it('stores an English and a Chinese review and reads them back', async () => {
    const [p1, p2] = takeProducts(2) as [string, string];
    const ada = shopper();
    const english = await submit({ productId: p1, rating: 5, text: '  Lovely phone, the battery lasts two days.  ' }, ada);
    expect(english.errors).toBeUndefined();
    expect(english.data!.submitReview).toMatchObject({
      rating: 5,
      text: 'Lovely phone, the battery lasts two days.',
      language: 'en',
      author: { id: ada.userId },
      product: { id: p1 },
    });
    expect(Number.isNaN(Date.parse(english.data!.submitReview.createdAt))).toBe(false);

    // A review changes what the shopper is interested in: the worker is asked to recompute it.
    const queue = openQueue(QueueName.InterestUpdate, { redisUrl: catalogueConfig.REDIS_URL, prefix: catalogueConfig.QUEUE_PREFIX });
    try {
      expect((await queue.getJobs(['delayed', 'waiting'])).map((job) => job.data.userId)).toContain(ada.userId);
    } finally {
      await queue.close();
    }

    const chinese = await submit({ productId: p2, rating: 4, text: '手机很好用，电池续航两天 👍' }, ada);
    expect(chinese.errors).toBeUndefined();
    expect(chinese.data!.submitReview).toMatchObject({ rating: 4, text: '手机很好用，电池续航两天 👍', language: 'zh' });

    const byId = await call<{ review: ReviewView | null }>(
      'query ($id: ID!) { review(id: $id) { id rating text language createdAt author { id } product { id } } }',
      { id: chinese.data!.submitReview.id },
    );
    expect(byId.data?.review).toEqual(chinese.data!.submitReview);
    const missing = await call<{ review: ReviewView | null }>('{ a: review(id: "999999999") { id } b: review(id: "nope") { id } }');
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ a: null, b: null });

    const listed = await productReviews([p1, p2]);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!._entities.map((product) => product.reviews.nodes.map((node) => node.id))).toEqual([
      [english.data!.submitReview.id],
      [chinese.data!.submitReview.id],
    ]);
    expect(listed.data!._entities.map((product) => product.ratingSummary)).toEqual([
      { average: 5, count: 1 },
      { average: 4, count: 1 },
    ]);

    const mine = await call<UserEntities>(USER_REVIEWS, { reps: [{ __typename: 'User', id: ada.userId }] }, ada);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!._entities[0]!.reviews.map((node) => node.id)).toEqual([chinese.data!.submitReview.id, english.data!.submitReview.id]);
    expect(mine.data!._entities[0]!.reviews).toHaveLength(2);
  });

  it('refuses every bad input with its code and field, and writes nothing', async () => {
    const [product, other] = takeProducts(2) as [string, string];
    const bob = shopper();
    expect((await submit({ productId: product, rating: 3, text: 'Fine.' }, bob)).errors).toBeUndefined();
    const before = await reviewCount();

    const refused = async (response: GraphQLResponse<unknown>, code: string, field?: string) => {
      expect(errorCodes(response)).toEqual([code]);
      if (field) expect(response.errors![0]!.extensions?.field).toBe(field);
      expect(response.data ?? null).toBeNull();
    };
    await refused(await submit({ productId: other, rating: 4, text: 'Anonymous' }, { userId: null, roles: [] }), 'UNAUTHENTICATED');
    await refused(await submit({ productId: other, rating: 9, text: 'Too good' }, bob), 'BAD_USER_INPUT', 'rating');
    await refused(await submit({ productId: other, rating: 0, text: 'Too bad' }, bob), 'BAD_USER_INPUT', 'rating');
    await refused(await submit({ productId: other, rating: 2.5, text: 'Half' }, bob), 'BAD_USER_INPUT');
    await refused(await submit({ productId: other, rating: 4, text: '   \n\t ' }, bob), 'BAD_USER_INPUT', 'text');
    await refused(await submit({ productId: other, rating: 4, text: '好'.repeat(5001) }, bob), 'BAD_USER_INPUT', 'text');
    await refused(await submit({ productId: '999999999', rating: 4, text: 'Ghost product' }, bob), 'NOT_FOUND', 'productId');
    await refused(await submit({ productId: 'not-an-id', rating: 4, text: 'Ghost product' }, bob), 'NOT_FOUND', 'productId');
    await refused(await submit({ productId: product, rating: 5, text: 'Second opinion' }, bob), 'CONFLICT', 'productId');

    // A 1 MB text is refused before any SQL or catalogue call.
    catalogue.queries.reset();
    const huge = await submit({ productId: other, rating: 4, text: 'x'.repeat(1024 * 1024) }, bob);
    await refused(huge, 'BAD_USER_INPUT', 'text');
    expect(sqlStatements(huge)).toBe(0);
    expect(catalogue.queries.total).toBe(0);

    expect(await reviewCount()).toBe(before);
  });

  it('accepts exactly 5000 characters, counting code points', async () => {
    const [a, b] = takeProducts(2) as [string, string];
    const carol = shopper();
    const emoji = await submit({ productId: a, rating: 5, text: '👍'.repeat(5000) }, carol);
    expect(emoji.errors).toBeUndefined();
    expect([...emoji.data!.submitReview.text]).toHaveLength(5000);
    expect(emoji.data!.submitReview.language).toBe('und');
    const tooMany = await submit({ productId: b, rating: 5, text: '👍'.repeat(5001) }, carol);
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });

  it("keeps a shopper's reviews to themselves and admins", async () => {
    const [product] = takeProducts(1) as [string];
    const dan = shopper();
    const eve = shopper();
    expect((await submit({ productId: product, rating: 2, text: 'Meh' }, dan)).errors).toBeUndefined();
    const reps = { reps: [{ __typename: 'User', id: dan.userId }] };
    expect(errorCodes(await call(USER_REVIEWS, reps, eve))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(USER_REVIEWS, reps))).toEqual(['UNAUTHENTICATED']);
    const asAdmin = await call<UserEntities>(USER_REVIEWS, reps, ADMIN);
    expect(asAdmin.data?._entities[0]!.reviews).toHaveLength(1);
  });

  it('validates page arguments', async () => {
    const [product] = takeProducts(1) as [string];
    expect(errorCodes(await productReviews([product], 0))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await productReviews([product], 101))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await productReviews([product], 5, 'garbage'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await productReviews([product], 5, Buffer.from('["x"]').toString('base64url')))).toEqual(['BAD_USER_INPUT']);
  });

  it('resolves 50 products, 50 reviews and 50 authors in a constant number of queries', async () => {
    const ids = takeProducts(50);
    const rows = importRows(ids, 3, 'batch');
    expect(await store.insertReviews(rows)).toBe(150);

    const listed = await productReviews(ids, 2);
    expect(listed.errors).toBeUndefined();
    // One windowed page query and one GROUP BY for the counts, whatever the number of products.
    expect(sqlStatements(listed)).toBe(2);
    const entities = listed.data!._entities;
    expect(entities).toHaveLength(50);
    for (const [index, entity] of entities.entries()) {
      expect(entity.id).toBe(ids[index]);
      expect(entity.reviews.totalCount).toBe(3);
      expect(entity.reviews.pageInfo.hasNextPage).toBe(true);
      expect(entity.reviews.nodes).toHaveLength(2);
      expect(entity.reviews.nodes.every((node) => node.product.id === entity.id)).toBe(true);
      const nodeIds = entity.reviews.nodes.map((node) => BigInt(node.id));
      expect(nodeIds[0]! > nodeIds[1]!).toBe(true);
      // Ratings 1, 2, 3 per product.
      expect(entity.ratingSummary).toEqual({ average: 2, count: 3 });
      const newest = rows.filter((row) => row.productId === entity.id).at(-1)!;
      expect(entity.reviews.nodes[0]).toMatchObject({ text: newest.text, createdAt: newest.createdAt.toISOString(), author: { id: newest.userId } });
    }

    const reviewIds = entities.flatMap((entity) => entity.reviews.nodes.map((node) => node.id)).slice(0, 50);
    const references = await call<{ _entities: ({ id: string; text: string; author: { id: string }; product: { id: string } } | null)[] }>(
      'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Review { id text author { id } product { id } } } }',
      { reps: [...reviewIds.map((id) => ({ __typename: 'Review', id })), { __typename: 'Review', id: '999999999' }] },
    );
    expect(references.errors).toBeUndefined();
    expect(sqlStatements(references)).toBe(1);
    expect(references.data!._entities.slice(0, 50).map((review) => review?.id)).toEqual(reviewIds);
    expect(references.data!._entities[50]).toBeNull();

    const authors = [...new Set(rows.map((row) => row.userId))].slice(0, 50);
    const byAuthor = await call<UserEntities>(USER_REVIEWS, { reps: authors.map((id) => ({ __typename: 'User', id })), first: 5 }, ADMIN);
    expect(byAuthor.errors).toBeUndefined();
    expect(sqlStatements(byAuthor)).toBe(1);
    expect(byAuthor.data!._entities.map((user) => user.reviews.map((node) => node.author.id))).toEqual(authors.map((id) => [id]));
  });

  it('pages through Product.reviews without duplicates or gaps, even while reviews arrive', async () => {
    const [product, decoy] = takeProducts(2) as [string, string];
    await store.insertReviews(importRows([product, decoy], 23, 'paging'));
    const stored: { id: string }[] = await subgraph.dataSource.query('SELECT id FROM review WHERE product_id = ? ORDER BY id DESC', [product]);
    const all = stored.map((row) => row.id);
    expect(all).toHaveLength(23);

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await productReviews([product], 5, after);
      expect(page.errors).toBeUndefined();
      const connection = page.data!._entities[0]!.reviews;
      expect(connection.totalCount).toBe(pages === 0 ? 23 : 24);
      seen.push(...connection.nodes.map((node) => node.id));
      pages += 1;
      if (pages === 1) {
        // A review written mid-way is newer than the cursor, so it must not shift later pages.
        expect((await submit({ productId: product, rating: 1, text: 'Late arrival' }, shopper())).errors).toBeUndefined();
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor!;
    }
    expect(pages).toBe(5);
    expect(seen).toEqual(all);
  });

  it('imports reviews idempotently through ReviewStore', async () => {
    const importer = await openFeedbackDataSource(loadFeedbackConfig(env));
    try {
      const importStore = new ReviewStore(importer.dataSource);
      const ids = takeProducts(3);
      const rows = importRows(ids, 4, 'import');
      const before = await importStore.countReviews();
      expect(await importStore.insertReviews(rows)).toBe(12);
      expect(await importStore.countReviews()).toBe(before + 12);
      expect(await importStore.insertReviews(rows)).toBe(0);
      // Same shopper and product under a new client id is still one review per shopper and product.
      expect(await importStore.insertReviews([{ ...rows[0]!, clientReviewId: 'import-renamed' }])).toBe(0);
      expect(await importStore.countReviews()).toBe(before + 12);

      const stored: { language: string; text: string }[] = await importer.dataSource.query(
        'SELECT language, text FROM review WHERE client_review_id IN (?, ?) ORDER BY client_review_id',
        ['import-0-0', 'import-0-1'],
      );
      expect(stored).toEqual([
        { language: 'en', text: `Review 0 of product ${ids[0]}` },
        { language: 'zh', text: '第1条评价，很好用' },
      ]);

      const bad = importStore.insertReviews([{ ...rows[0]!, clientReviewId: 'import-bad', rating: 7 }]);
      await expect(bad).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(await importStore.countReviews()).toBe(before + 12);
    } finally {
      await importer.dataSource.destroy();
    }
  });
});
