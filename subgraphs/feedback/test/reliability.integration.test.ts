import type { Identity } from '@serendip/federation';
import { openQueue, QueueName } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, OutageRelay, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { adminWriter } from '../../catalogue/test/support';
import { startFeedbackSubgraph } from '../src/app';
import { loadFeedbackConfig } from '../src/config';

/**
 * Writes whose data is committed answer while Redis is unreachable (the relay in front of the
 * shared Redis is cut, never the server itself), and what they had to queue is queued by the
 * sweeps once it is back: a review's analysis and its writer's interest update, a product's
 * embedding, and a semantic search answers lexically, saying so.
 */
const base = testEnv({
  CATALOGUE_PORT: '0',
  FEEDBACK_PORT: '0',
  ENQUEUE_TIMEOUT_MS: '300',
  OUTBOX_SWEEP_MS: '300',
  ANALYSIS_SWEEP_MS: '300',
  EMBEDDING_SWEEP_MS: '300',
  SEMANTIC_QUERY_TIMEOUT_MS: '500',
});
const realRedis = loadCatalogueConfig(base).REDIS_URL;
let relay: OutageRelay;
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startFeedbackSubgraph>>;
let admin: ReturnType<typeof adminWriter>;
let categoryId: string;

const connection = { redisUrl: realRedis, prefix: base.QUEUE_PREFIX! };
const count = async (dataSource: { query(sql: string, parameters: unknown[]): Promise<unknown> }, sql: string, parameters: unknown[]) =>
  Number(((await dataSource.query(sql, parameters)) as { n: string }[])[0]!.n);

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 20_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Jobs resting in a queue (no worker runs here) whose payload passes `matches`. */
async function resting<Q extends QueueName>(name: Q, matches: (data: unknown) => boolean): Promise<number> {
  const queue = openQueue(name, connection);
  try {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused']);
    return jobs.filter((job) => job && matches(job.data)).length;
  } finally {
    await queue.close();
  }
}

beforeAll(async () => {
  relay = await OutageRelay.start(realRedis);
  const env = { ...base, REDIS_URL: relay.url };
  const catalogueConfig = loadCatalogueConfig(env);
  await createTestDatabases(catalogueConfig, ['catalogue', 'feedback']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  admin = adminWriter(subgraphClient(catalogue.url));
  categoryId = (await admin.category('Kitchen')).id;
  subgraph = await startFeedbackSubgraph(loadFeedbackConfig({ ...env, CATALOGUE_URL: catalogue.url }));
}, 60_000);

afterAll(async () => {
  await relay?.restore();
  await subgraph?.stop();
  await catalogue?.stop();
  await relay?.stop();
  await dropTestDatabases({ ...loadCatalogueConfig(base) }, ['catalogue', 'feedback']);
});

describe('while Redis is unreachable', () => {
  it('submitReview answers, and its analysis and interest update are queued by the sweeps once Redis is back', async () => {
    const product = (await admin.product({ sku: 'K-1', title: 'Stainless steel kettle', categoryId, price: 30 })).id;
    const userId = randomUUID();
    const shopper: Identity = { userId, roles: ['shopper'] };
    // Requests not queued yet (a queued one is kept, marked with the Redis run that took it).
    const outbox = () => count(subgraph.dataSource, 'SELECT COUNT(*) AS n FROM interest_update_request WHERE user_id = ? AND queued_run IS NULL', [userId]);
    try {
      await relay.cut();
      const submitted = await subgraphClient(subgraph.url)<{ submitReview: { id: string } }>(
        'mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { id } }',
        { input: { productId: product, rating: 1, text: 'It leaks from the lid.' } },
        shopper,
      );
      expect(submitted.errors).toBeUndefined();
      const reviewId = submitted.data!.submitReview.id;
      expect(await count(subgraph.dataSource, `SELECT COUNT(*) AS n FROM review_analysis WHERE review_id = ? AND status = 'PENDING'`, [reviewId])).toBe(1);
      expect(await outbox()).toBe(1);

      await relay.restore();
      const analysis = (data: unknown) => (data as { reviewId?: string }).reviewId === reviewId;
      const interest = (data: unknown) => (data as { userId?: string }).userId === userId;
      await until('the swept analysis and interest update', async () =>
        (await resting(QueueName.ReviewAnalysis, analysis)) === 1 && (await resting(QueueName.InterestUpdate, interest)) === 1 && (await outbox()) === 0
          ? true
          : undefined,
      );
    } finally {
      await relay.restore();
    }
  }, 40_000);

  it('createProduct answers, and its embedding is queued by the sweep once Redis is back', async () => {
    const requests = (productId: string) =>
      count(catalogue.dataSource, 'SELECT COUNT(*) AS n FROM product_embedding_request WHERE product_id = ? AND queued_run IS NULL', [productId]);
    try {
      await relay.cut();
      const product = (await admin.product({ sku: 'K-2', title: 'Cast iron pan', categoryId, price: 45 })).id;
      expect(await requests(product)).toBe(1);

      await relay.restore();
      const embeds = (data: unknown) => (data as { products?: { productId: string }[] }).products?.some((item) => item.productId === product) ?? false;
      await until('the swept product embedding', async () =>
        (await resting(QueueName.ProductEmbedding, embeds)) === 1 && (await requests(product)) === 0 ? true : undefined,
      );
    } finally {
      await relay.restore();
    }
  }, 40_000);

  it('a SEMANTIC search answers lexically and says so', async () => {
    await admin.product({ sku: 'K-3', title: 'Enamel milk pan', categoryId, price: 25 });
    try {
      await relay.cut();
      const search = await subgraphClient(catalogue.url)<{ searchProducts: { product: { title: string }; matchedBy: string[] }[] }>(
        '{ searchProducts(text: "milk pan", mode: SEMANTIC) { product { title } matchedBy } }',
      );
      expect(search.errors).toBeUndefined();
      expect(search.data!.searchProducts[0]).toEqual({ product: { title: 'Enamel milk pan' }, matchedBy: ['LEXICAL'] });
      expect(search.extensions?.warnings).toEqual([expect.objectContaining({ code: 'SEARCH_DEGRADED', path: ['searchProducts'] })]);
    } finally {
      await relay.restore();
    }
  }, 40_000);
});
