import { encodeVector, Topic, type EmbedTextPayload } from '@serendip/jobs';
import { CatalogueImportStore, openCatalogueDataSource, ProductEmbeddingStore } from '@serendip/subgraph-catalogue';
import { interestAffinity } from '@serendip/recsys';
import { openFeedbackDataSource, ReviewStore } from '@serendip/subgraph-feedback';
import { EventStore, EventType, InterestStore, openRecommendationDataSource, ShopperPrivacyStore } from '@serendip/subgraph-recommendation';
import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InterestUpdater } from '../src/interest/interest-updater';
import { loadWorkerConfig } from '../src/config';
import { openStores, type WorkerStores } from '../src/stores';

/** Two well-separated groups of directions in 8 dimensions, plus a third for searches. */
const direction = (axis: number, wobble: number) => {
  const vector = new Float32Array(8);
  vector[axis] = 1;
  vector[(axis + 1) % 8] = wobble;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

const config = loadWorkerConfig({ ...testEnv(), LOG_LEVEL: 'error' });
const MODEL = { name: 'test-embedder', version: '1.0.0' };
let catalogueDb: Awaited<ReturnType<typeof openCatalogueDataSource>>;
let recommendationDb: Awaited<ReturnType<typeof openRecommendationDataSource>>;
let feedbackDb: Awaited<ReturnType<typeof openFeedbackDataSource>>;
let stores: WorkerStores;
let updater: InterestUpdater;
let subscriber: Redis;
const embedded: string[] = [];
const ids: Record<string, string> = {};
const categories: Record<string, string> = {};

beforeAll(async () => {
  await createTestDatabases(config, ['catalogue', 'recommendation', 'feedback']);
  catalogueDb = await openCatalogueDataSource(config);
  recommendationDb = await openRecommendationDataSource(config);
  feedbackDb = await openFeedbackDataSource(config);
  const catalogue = new CatalogueImportStore(catalogueDb.dataSource);
  categories.baby = await catalogue.upsertCategoryPath(['Baby', 'Nappies']);
  categories.running = await catalogue.upsertCategoryPath(['Sport', 'Running shoes']);
  const layout = {
    baby: ['Soft baby nappies', 'Baby wipes sensitive', 'Nappy cream'],
    running: ['Trail running shoes', 'Road running shoes', 'Running socks'],
  };
  for (const [group, titles] of Object.entries(layout)) {
    const bySku = await catalogue.upsertProducts(
      titles.map((title, index) => ({ sku: `${group}-${index}`, title, categoryId: categories[group]!, brand: null, price: 10, tags: [] })),
    );
    titles.forEach((_, index) => (ids[`${group}${index}`] = bySku.get(`${group}-${index}`)!));
  }
  await new ProductEmbeddingStore(catalogueDb.dataSource).upsert(
    MODEL.name,
    MODEL.version,
    Object.entries(ids).map(([key, productId], index) => ({
      productId,
      textHash: 'x'.repeat(64),
      vector: direction(key.startsWith('baby') ? 0 : 4, 0.1 * index),
    })),
  );
  // The subgraphs' own implementations, as the worker wires them.
  stores = await openStores(config, { productVectors: false, reviewAnalyses: false, interests: true, sequenceModels: true, productFeatures: false });
  updater = new InterestUpdater(
    stores.interests!,
    // The inference thread's embed-text answer, for search texts: a direction of their own.
    async (payloads: EmbedTextPayload[]) =>
      payloads.map((payload) => (embedded.push(payload.text), { embedding: encodeVector(direction(2, 0)), model: MODEL.name, version: MODEL.version })),
    {
      weights: { PURCHASE: 5, CART: 3, CLICK: 2, VIEW: 1, SEARCH: 1.5 },
      halfLifeDays: 14,
      maxInterests: 5,
      skippedImpressionWeight: -0.3,
      badReviewWeight: -4,
      model: MODEL,
    },
  );
  // Ready before it subscribes: a SUBSCRIBE sent during ioredis's connect-time ready check can be lost.
  subscriber = new Redis(config.REDIS_URL, { lazyConnect: true });
  await subscriber.connect();
});

afterAll(async () => {
  await stores.close();
  subscriber.disconnect();
  await catalogueDb.dataSource.destroy();
  await recommendationDb.dataSource.destroy();
  await feedbackDb.dataSource.destroy();
  await dropTestDatabases(config, ['catalogue', 'recommendation', 'feedback']);
});

/** Fails with `what` instead of hanging the test until jest's timeout says nothing useful. */
function within<T>(what: string, promise: Promise<T>, ms = 10_000): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms).unref())]);
}

const event = (userId: string, type: EventType, key: string | null, minutesAgo: number, extra: { query?: string } = {}) => ({
  userId,
  type,
  productId: key ? ids[key]! : null,
  categoryId: key ? categories[key.replace(/[0-9]+$/, '')]! : null,
  query: extra.query ?? null,
  sessionId: 's',
  clientEventId: randomUUID(),
  occurredAt: new Date(Date.now() - minutesAgo * 60_000),
});

describe('InterestUpdater (MariaDB, Redis)', () => {
  it('recognises a baby-goods interest and a running interest from one history, stores them and announces the change', async () => {
    const userId = randomUUID();
    await within(
      'insertEvents',
      new EventStore(recommendationDb.dataSource).insertEvents([
        event(userId, EventType.PURCHASE, 'baby0', 60),
        event(userId, EventType.VIEW, 'baby1', 50),
        event(userId, EventType.CART, 'baby2', 40),
        event(userId, EventType.VIEW, 'running0', 30),
        event(userId, EventType.PURCHASE, 'running1', 20),
        event(userId, EventType.SEARCH, null, 10, { query: 'kitchen knives' }),
      ]),
    );
    const announced = new Promise<string>((resolve) => subscriber.once('message', (_channel, message) => resolve(message)));
    await within('subscribe', subscriber.subscribe(Topic.recommendationsUpdated(userId, config.PUBSUB_PREFIX)));

    const result = await within('update', updater.update(userId));

    expect(result).toEqual({ interests: expect.any(Number), signals: 6 });
    expect(JSON.parse(await within('the announcement', announced))).toMatchObject({ userId });
    expect(embedded).toContain('kitchen knives');
    const saved = (await new InterestStore(recommendationDb.dataSource).load([userId])).get(userId)!;
    expect(saved).toMatchObject({ signals: 6, model: MODEL.name, modelVersion: MODEL.version });
    const top = saved.profile.interests.map((interest) => interest.categories[0]?.id);
    expect(top).toEqual(expect.arrayContaining([categories.baby, categories.running]));
    const baby = saved.profile.interests.find((interest) => interest.categories[0]?.id === categories.baby)!;
    // A purchase, a cart and a view outweigh a view and a purchase.
    expect(baby.weight).toBeGreaterThan(saved.profile.interests.find((interest) => interest.categories[0]?.id === categories.running)!.weight);
    expect(baby.keywords.map((keyword) => keyword.term)).toEqual(expect.arrayContaining(['baby']));
    expect(baby.centroid[0]).toBeGreaterThan(0.9);
    await subscriber.unsubscribe();
  });

  it("lowers the shopper's affinity to the neighbourhood of a product they gave one star", async () => {
    const userId = randomUUID();
    await new EventStore(recommendationDb.dataSource).insertEvents([
      event(userId, EventType.VIEW, 'running0', 30),
      event(userId, EventType.VIEW, 'running1', 20),
      event(userId, EventType.CART, 'running2', 10),
    ]);
    const store = new InterestStore(recommendationDb.dataSource);
    const running = direction(4, 0.12);
    await updater.update(userId);
    const before = interestAffinity((await store.load([userId])).get(userId)!.profile, running).score;

    await new ReviewStore(feedbackDb.dataSource).insertReviews([
      { userId, productId: ids.running1!, rating: 1, text: 'Fell apart after a week.', createdAt: new Date(), clientReviewId: 'bad-1' },
    ]);
    await expect(updater.update(userId)).resolves.toMatchObject({ signals: 4 });
    const after = (await store.load([userId])).get(userId)!.profile;
    expect(after.avoid).toHaveLength(1);
    expect(interestAffinity(after, running).score).toBeLessThan(before);
  });

  it('builds no profile without consent, removes one left from before, and none for a forgotten shopper', async () => {
    const store = new InterestStore(recommendationDb.dataSource);
    const privacy = new ShopperPrivacyStore(recommendationDb.dataSource);
    const userId = randomUUID();
    await new EventStore(recommendationDb.dataSource).insertEvents([event(userId, EventType.PURCHASE, 'baby0', 5), event(userId, EventType.VIEW, 'baby1', 4)]);
    await updater.update(userId);
    expect((await store.load([userId])).has(userId)).toBe(true);

    await privacy.setConsent(userId, false, new Date());
    expect((await store.load([userId])).has(userId)).toBe(false);
    await expect(updater.update(userId)).resolves.toEqual({ interests: 0, signals: 0 });
    expect((await store.load([userId])).has(userId)).toBe(false);

    await privacy.setConsent(userId, true, new Date());
    await expect(updater.update(userId)).resolves.toMatchObject({ signals: 2 });
    await privacy.forget(userId, new Date());
    await expect(updater.update(userId)).resolves.toEqual({ interests: 0, signals: 0 });
    expect((await store.load([userId])).has(userId)).toBe(false);
  });

  it('writes an empty profile for a shopper with no events, and counts only products that have vectors', async () => {
    const userId = randomUUID();
    await expect(updater.update(userId)).resolves.toEqual({ interests: 0, signals: 0 });
    expect((await new InterestStore(recommendationDb.dataSource).load([userId])).get(userId)!.profile.interests).toEqual([]);
  });
});
