import type { Identity } from '@serendip/federation';
import { resolveEmbeddingModel } from '../../../packages/inference/src';
import { openQueue, QueueName } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { openCatalogueDataSource } from '../../catalogue/src/data-source';
import { ProductEmbeddingStore } from '../../catalogue/src/embedding/product-embedding.store';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { EventStore, EventType, InterestStore, openRecommendationDataSource } from '../src';
import { MAX_CONTEXT_SEGMENTS } from '@serendip/recsys';
import { FEATURE_SOURCES } from '../src/slate/candidate-sources';
import { SlateRetention } from '../src/slate/slate-retention';
import { SlateLogStore } from '../src/slate/slate-log.store';
import { CandidateGatherer } from '../src/slate/candidate-gatherer';
import { CooccurrenceStore } from '../src/cooccurrence/cooccurrence.store';
import { TransitionStore } from '../src/transitions/transition.store';
import { PopularityStore } from '../src/popularity/popularity.store';
import { ProductIndex } from '@serendip/vectors';
import { RecommendationSlot } from '../src/slate/slot';

/**
 * Slates served by the real engine: the catalogue subgraph's vector feed fills the product index,
 * interests come from the interest store (the worker writes them; this test writes them itself),
 * co-occurrence and attribution come from trackEvents. No worker runs here.
 */
// No feedback subgraph here: review quality (which reads it) is off; review-quality.integration.test.ts covers it.
const env = testEnv({ CATALOGUE_PORT: '0', RECOMMENDATION_PORT: '0', PRODUCT_INDEX_REFRESH_MS: '200', BANDIT_FLUSH_MS: '100', REVIEW_QUALITY_WEIGHT: '0' });
const catalogueConfig = loadCatalogueConfig(env);
let config: ReturnType<typeof loadRecommendationConfig>;
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let recommendationDb: Awaited<ReturnType<typeof openRecommendationDataSource>>;
let call: ReturnType<typeof subgraphClient>;

const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
const shopper = (userId: string): Identity => ({ userId, roles: ['shopper'] });
const ids: Record<string, string> = {};

/** Unit vector along `axis` of 8, tilted a little so products of one group differ. */
const direction = (axis: number, tilt: number) => {
  const vector = new Float32Array(8);
  vector[axis] = 1;
  vector[(axis + 1) % 8] = tilt;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};
const GROUPS = { baby: 0, running: 3, garden: 6 } as const;

const SLATE = `query ($slot: RecommendationSlot, $first: Int, $exclude: [ID!]) {
  recommendations(slot: $slot, first: $first, excludeIds: $exclude) {
    recommendationId slot policy items { product { id } score source reason rank explored recommendationId }
  }
}`;
interface Slate {
  recommendationId: string;
  slot: string;
  policy: string;
  items: { product: { id: string }; score: number; source: string; reason: string; rank: number; explored: boolean; recommendationId: string }[];
}
const slate = (userId: string, variables: Record<string, unknown> = {}) => call<{ recommendations: Slate }>(SLATE, variables, shopper(userId));

const TRACK = `mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }`;
const track = (userId: string, events: Record<string, unknown>[]) =>
  call<{ trackEvents: { accepted: number } }>(
    TRACK,
    { events: events.map((event) => ({ sessionId: 's', clientEventId: randomUUID(), ...event })) },
    shopper(userId),
  );

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 15_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  const admin = subgraphClient(catalogue.url);
  const rows: { productId: string; textHash: string; vector: Float32Array }[] = [];
  for (const [group, axis] of Object.entries(GROUPS)) {
    const category = await admin<{ createCategory: { id: string } }>(
      'mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
      { input: { name: group } },
      ADMIN,
    );
    for (let index = 0; index < 4; index += 1) {
      const product = await admin<{ createProduct: { id: string } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
        { input: { sku: `${group}-${index}`, title: `${group} product ${index}`, categoryId: category.data!.createCategory.id, price: 10 } },
        ADMIN,
      );
      ids[`${group}${index}`] = product.data!.createProduct.id;
      rows.push({ productId: product.data!.createProduct.id, textHash: 'x'.repeat(64), vector: direction(axis, 0.05 * index) });
    }
  }
  // The vectors the worker would have stored, under the model the catalogue serves.
  const model = resolveEmbeddingModel(catalogueConfig);
  const catalogueDb = await openCatalogueDataSource(catalogueConfig);
  await new ProductEmbeddingStore(catalogueDb.dataSource).upsert(model.name, model.version, rows);
  await catalogueDb.dataSource.destroy();

  config = loadRecommendationConfig({ ...env, CATALOGUE_URL: catalogue.url });
  subgraph = await startRecommendationSubgraph(config);
  recommendationDb = await openRecommendationDataSource(config);
  call = subgraphClient(subgraph.url);
}, 60_000);

afterAll(async () => {
  await recommendationDb?.dataSource.destroy();
  await subgraph?.stop();
  await catalogue?.stop();
  await dropTestDatabases({ ...catalogueConfig, REDIS_URL: config.REDIS_URL }, ['catalogue', 'recommendation']);
});

describe('recommendations (slates)', () => {
  it("serves products near the shopper's interest, never what they have seen, and logs the slate with propensities", async () => {
    const userId = randomUUID();
    await new InterestStore(recommendationDb.dataSource).save({
      userId,
      profile: {
        interests: [{ centroid: direction(GROUPS.baby, 0), weight: 1, strength: 3, categories: [], keywords: [{ term: 'nappies', weight: 1 }], signals: 3 }],
        avoid: [],
      },
      signals: 3,
      model: 'test',
      modelVersion: '1',
      updatedAt: new Date(),
      sequenceQueries: [],
    });
    expect((await track(userId, [{ type: 'VIEW', productId: ids.baby0 }])).errors).toBeUndefined();

    // The index fills from the catalogue's feed in the background.
    const served = await until('interest candidates', async () => {
      const response = await slate(userId, { first: 4 });
      expect(response.errors).toBeUndefined();
      const result = response.data!.recommendations;
      return result.items.some((item) => item.source === 'interest') ? result : undefined;
    });
    const babyIds = [ids.baby1, ids.baby2, ids.baby3];
    const fromInterest = served.items.filter((item) => item.source === 'interest').map((item) => item.product.id);
    expect(babyIds).toEqual(expect.arrayContaining(fromInterest));
    expect(served.items.map((item) => item.product.id)).not.toContain(ids.baby0);
    expect(served.items.find((item) => item.source === 'interest')!.reason).toMatch(/nappies/);
    expect(served).toMatchObject({ slot: 'HOME', policy: expect.stringMatching(/^thompson/) });
    expect(served.items.map((item) => item.rank)).toEqual(served.items.map((_, index) => index));
    for (const item of served.items) expect(item.recommendationId).toBe(served.recommendationId);

    const logged: { productId: string; propensity: number; features: string; rank: number }[] = await recommendationDb.dataSource.query(
      'SELECT product_id AS productId, propensity, features, `rank` FROM recommendation_item WHERE slate_id = ? ORDER BY `rank`',
      [served.recommendationId],
    );
    expect(logged.map((row) => String(row.productId))).toEqual(served.items.map((item) => item.product.id));
    for (const row of logged) {
      expect(row.propensity).toBeGreaterThan(0);
      expect(row.propensity).toBeLessThanOrEqual(1);
      expect(JSON.parse(row.features)).toHaveLength((2 + FEATURE_SOURCES.length) * (1 + MAX_CONTEXT_SEGMENTS));
    }

    const excluded = await slate(userId, { first: 10, exclude: babyIds });
    expect(excluded.data!.recommendations.items.map((item) => item.product.id)).not.toEqual(expect.arrayContaining([ids.baby1]));
  });

  it('recommends what other shoppers chose next (transitions) and around (co-occurrence) to shoppers with no profile', async () => {
    const other = randomUUID();
    await track(other, [
      { type: 'VIEW', productId: ids.garden0, occurredAt: new Date(Date.now() - 60_000).toISOString() },
      { type: 'CART', productId: ids.garden1 },
    ]);
    const sourceOf = async (viewed: string, wanted: string) => {
      const userId = randomUUID();
      await track(userId, [{ type: 'VIEW', productId: viewed }]);
      const response = await slate(userId, { slot: 'CART', first: 10 });
      expect(response.errors).toBeUndefined();
      expect(response.data!.recommendations.policy).toMatch(/^epsilon-greedy/);
      return response.data!.recommendations.items.find((candidate) => candidate.product.id === wanted);
    };
    // garden1 came after garden0, so a shopper at garden0 is shown it as what comes next…
    expect(await sourceOf(ids.garden0!, ids.garden1!)).toMatchObject({ source: 'transitions', reason: 'Shoppers often choose this next after what you chose' });
    // …while garden0 did not come after garden1: only co-occurrence, which ignores order, offers it.
    expect(await sourceOf(ids.garden1!, ids.garden0!)).toMatchObject({ source: 'co-occurrence' });
  });

  it('rebuilds co-occurrence and directed transitions from imported histories exactly, however often it runs', async () => {
    const userId = randomUUID();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const row = (type: EventType, key: string, minutesAgo: number) => ({
      userId,
      type,
      productId: ids[key]!,
      categoryId: null,
      query: null,
      sessionId: 'import',
      clientEventId: randomUUID(),
      occurredAt: at(minutesAgo),
    });
    const store = new EventStore(recommendationDb.dataSource);
    await store.insertEvents([row(EventType.VIEW, 'running2', 30), row(EventType.PURCHASE, 'running3', 20)]);
    const weight = async () => {
      const [pair]: { weight: number }[] = await recommendationDb.dataSource.query(
        'SELECT weight FROM product_cooccurrence WHERE product_id = ? AND other_id = ?',
        [ids.running3, ids.running2],
      );
      return pair?.weight;
    };
    const transitions = async () =>
      recommendationDb.dataSource.query<{ productId: string; nextId: string; weight: number }[]>(
        'SELECT product_id AS productId, next_id AS nextId, weight FROM product_transition WHERE product_id IN (?, ?) ORDER BY product_id',
        [ids.running2, ids.running3],
      );
    await store.rebuildItemGraphs();
    // A view (1) then a purchase (5) of the other product: 1 × 5, both ways for co-occurrence…
    expect(await weight()).toBe(5);
    // …and only forwards, from the view to the purchase, for transitions.
    expect(await transitions()).toEqual([{ productId: ids.running2, nextId: ids.running3, weight: 5 }]);
    await store.rebuildItemGraphs();
    expect(await weight()).toBe(5);
    expect(await transitions()).toEqual([{ productId: ids.running2, nextId: ids.running3, weight: 5 }]);
  });

  it("caps one shopper's share of popularity, co-occurrence and transitions as a rebuild from the log does", async () => {
    const [a, b] = [ids.garden0!, ids.garden1!];
    const snapshot = async () => {
      const read = async (sql: string, params: string[]) =>
        Number((await recommendationDb.dataSource.query<{ weight: number }[]>(sql, params))[0]?.weight ?? 0);
      return {
        popularityA: await read('SELECT score AS weight FROM product_popularity WHERE product_id = ?', [a]),
        popularityB: await read('SELECT score AS weight FROM product_popularity WHERE product_id = ?', [b]),
        cooccurrence: await read('SELECT weight FROM product_cooccurrence WHERE product_id = ? AND other_id = ?', [a, b]),
        transition: await read('SELECT weight FROM product_transition WHERE product_id = ? AND next_id = ?', [a, b]),
        back: await read('SELECT weight FROM product_transition WHERE product_id = ? AND next_id = ?', [b, a]),
      };
    };
    const minus = (x: Awaited<ReturnType<typeof snapshot>>, y: typeof x) =>
      Object.fromEntries(Object.entries(x).map(([key, value]) => [key, Math.round((value - y[key as keyof typeof x]) * 1e6) / 1e6]));
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    // Twenty views going back and forth between two products, in one day…
    const flood = Array.from({ length: 20 }, (_, i) => ({ type: 'VIEW', productId: i % 2 === 0 ? a : b, occurredAt: minutesAgo(40 - i) }));
    const start = await snapshot();
    expect((await track(randomUUID(), flood)).data?.trackEvents.accepted).toBe(20);
    const flooded = await snapshot();
    // …add what a shopper's first two views of each add, and no more.
    expect((await track(randomUUID(), flood.slice(0, 4))).data?.trackEvents.accepted).toBe(4);
    const honest = await snapshot();
    expect(minus(flooded, start)).toEqual(minus(honest, flooded));
    expect(minus(honest, flooded).cooccurrence).toBeGreaterThan(0);
    // And what live tracking added up is what a rebuild from the counted events finds.
    const store = new EventStore(recommendationDb.dataSource);
    await store.rebuildPopularity();
    await store.rebuildItemGraphs();
    expect(minus(await snapshot(), honest)).toEqual(minus(honest, honest));
  });

  it('counts a product as passed over only when it was shown in three different hours without a click', async () => {
    const userId = randomUUID();
    const now = new Date();
    const show = async (productKey: string, hoursAgo: number) => {
      const slateId = randomUUID();
      await recommendationDb.dataSource.query(
        'INSERT INTO recommendation_slate (id, user_id, slot, policy, policy_version, exploration, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [slateId, userId, 'HOME', 'thompson', '1', 0.3, new Date(now.getTime() - hoursAgo * 3600_000)],
      );
      await recommendationDb.dataSource.query(
        'INSERT INTO recommendation_item (slate_id, `rank`, product_id, source, score, propensity, explored, features) VALUES (?, 0, ?, ?, 0.5, 0.5, 0, ?)',
        [slateId, ids[productKey], 'interest', '[]'],
      );
    };
    // Five live pushes within one hour, and one product shown in three separate hours.
    for (let push = 0; push < 5; push += 1) await show('garden2', 0.01 * push);
    for (const hoursAgo of [1, 3, 5]) await show('garden3', hoursAgo);
    const store = new InterestStore(recommendationDb.dataSource);
    expect((await store.skippedProducts(userId, now)).map((item) => item.productId)).toEqual([ids.garden3]);
    await track(userId, [{ type: 'CLICK', productId: ids.garden3 }]);
    expect(await store.skippedProducts(userId, now)).toEqual([]);
  });

  it('deletes logged slates, with their items, once they are past retention', async () => {
    const userId = randomUUID();
    const old = (await slate(userId, { first: 3 })).data!.recommendations.recommendationId;
    const fresh = (await slate(userId, { first: 3 })).data!.recommendations.recommendationId;
    await recommendationDb.dataSource.query('UPDATE recommendation_slate SET created_at = ? WHERE id = ?', [new Date(Date.now() - 200 * 24 * 3600_000), old]);
    expect(await new SlateRetention(recommendationDb.dataSource, 180).purge()).toBe(1);
    const left: { slateId: string }[] = await recommendationDb.dataSource.query(
      'SELECT DISTINCT slate_id AS slateId FROM recommendation_item WHERE slate_id IN (?, ?)',
      [old, fresh],
    );
    expect(left.map((row) => row.slateId)).toEqual([fresh]);
  });

  it('logs slates that arrive together in shared transactions, each committed before its caller goes on', async () => {
    const { dataSource } = recommendationDb;
    const log = new SlateLogStore(dataSource);
    const transactions = jest.spyOn(dataSource, 'transaction');
    const userId = randomUUID();
    const slateOf = (id: string) => ({
      id,
      userId,
      slot: RecommendationSlot.HOME,
      policy: 'thompson',
      policyVersion: '2',
      exploration: 0.15,
      createdAt: new Date(),
      experimentId: null,
      experimentArm: null,
      armPropensity: null,
      sequenceModelVersion: null,
    });
    const itemsOf = (count: number) =>
      Array.from({ length: count }, (_, rank) => ({
        productId: String(1000 + rank),
        rank,
        source: 'interest',
        score: 0.5,
        propensity: 0.9,
        explored: rank === 1,
        features: [1, rank],
      }));
    try {
      const slateIds = Array.from({ length: 60 }, () => randomUUID());
      await Promise.all(slateIds.map((id, i) => log.insert(slateOf(id), itemsOf(i % 4))));
      // The first slate goes alone; the 59 that queued behind it fill one batch of 50, then one of 9.
      expect(transactions).toHaveBeenCalledTimes(3);
      const rows: { id: string; items: string | number; explored: string | number; features: string | null }[] = await dataSource.query(
        `SELECT s.id AS id, COUNT(i.slate_id) AS items, SUM(i.explored) AS explored, MAX(i.features) AS features
         FROM recommendation_slate s LEFT JOIN recommendation_item i ON i.slate_id = s.id WHERE s.user_id = ? GROUP BY s.id`,
        [userId],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      slateIds.forEach((id, i) => {
        expect(Number(byId.get(id)?.items)).toBe(i % 4);
        if (i % 4 >= 2) expect(Number(byId.get(id)?.explored)).toBe(1);
      });
      expect(rows.find((row) => Number(row.items) === 3)?.features).toBe('[1,2]');

      // A batch that fails (here a slate id logged already) fails each of its callers, logs none of
      // its slates and leaves the log working for the next.
      transactions.mockClear();
      const failing = [
        log.insert(slateOf(randomUUID()), itemsOf(2)),
        log.insert(slateOf(randomUUID()), itemsOf(2)),
        log.insert(slateOf(slateIds[0]!), itemsOf(1)),
      ];
      const outcomes = await Promise.allSettled(failing);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      const after = randomUUID();
      await log.insert(slateOf(after), itemsOf(1));
      const counted: { slates: string | number }[] = await dataSource.query('SELECT COUNT(*) AS slates FROM recommendation_slate WHERE user_id = ?', [userId]);
      expect(Number(counted[0]?.slates)).toBe(62);
    } finally {
      transactions.mockRestore();
    }
  });

  it("reads the lists every slate shares once per SLATE_CACHE_MS, and each product's partners once", async () => {
    const { dataSource } = recommendationDb;
    const stores = {
      cooccurrence: new CooccurrenceStore(dataSource),
      transitions: new TransitionStore(dataSource),
      popularity: new PopularityStore(dataSource),
    };
    const spies = [jest.spyOn(stores.cooccurrence, 'partners'), jest.spyOn(stores.transitions, 'followers'), jest.spyOn(stores.popularity, 'trending')];
    const viewed = (productIds: string[]) =>
      productIds.map((productId) => ({ type: EventType.VIEW, productId, categoryId: null, query: null, occurredAt: new Date() }));
    const request = (events: ReturnType<typeof viewed>, excludeIds: string[] = []) => ({
      index: new ProductIndex(),
      events,
      profile: undefined,
      sequence: null,
      excludeIds,
    });
    const calls = () => spies.map((spy) => spy.mock.calls.length);
    const asked = () => spies.slice(0, 2).map((spy) => spy.mock.calls.map((call) => call[0]));
    try {
      const kept = new CandidateGatherer(stores.cooccurrence, stores.transitions, stores.popularity, 60_000);
      const first = await kept.gather(request(viewed([ids.baby0!, ids.baby1!])));
      const again = await kept.gather(request(viewed([ids.baby0!, ids.baby1!])));
      expect(calls()).toEqual([1, 1, 1]);
      expect(again.sources).toEqual(first.sources);
      // A new product among the seeds: only it is read.
      await kept.gather(request(viewed([ids.garden0!, ids.baby0!])));
      expect(asked()).toEqual([
        [[ids.baby0, ids.baby1], [ids.garden0]],
        [[ids.baby0, ids.baby1], [ids.garden0]],
      ]);
      // More exclusions than the kept trending list covers: that slate reads its own, 60 beyond the
      // 1,000 excluded and the product viewed.
      const many = Array.from({ length: 1_000 }, (_, i) => String(9_000_000 + i));
      await kept.gather(request(viewed([ids.baby0!]), many));
      expect(spies[2]!.mock.calls.map((call) => call[1])).toEqual([1_000, 1_061]);

      spies.forEach((spy) => spy.mockClear());
      const uncached = new CandidateGatherer(stores.cooccurrence, stores.transitions, stores.popularity);
      await uncached.gather(request(viewed([ids.baby0!])));
      await uncached.gather(request(viewed([ids.baby0!])));
      expect(calls()).toEqual([2, 2, 2]);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  it('credits a click to the slate that showed the product, and refuses ids that name no such slate', async () => {
    const userId = randomUUID();
    const served = (await slate(userId, { first: 5 })).data!.recommendations;
    expect(served.items.length).toBeGreaterThan(0);
    const clicked = served.items[0]!.product.id;
    const ok = await track(userId, [{ type: 'CLICK', productId: clicked, recommendationId: served.recommendationId }]);
    expect(ok.errors).toBeUndefined();
    await until('the click in arm_stat', async () => {
      const [row]: { clicks: number }[] = await recommendationDb.dataSource.query('SELECT clicks FROM arm_stat WHERE slot = ? AND product_id = ?', [
        'HOME',
        clicked,
      ]);
      return row && row.clicks >= 1 ? row : undefined;
    });
    const [event]: { recommendationId: string }[] = await recommendationDb.dataSource.query(
      'SELECT recommendation_id AS recommendationId FROM behaviour_event WHERE user_id = ? AND type = ?',
      [userId, 'CLICK'],
    );
    expect(event!.recommendationId).toBe(served.recommendationId);

    const unknown = await track(userId, [{ type: 'CLICK', productId: clicked, recommendationId: randomUUID() }]);
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    const wrongType = await track(userId, [{ type: 'VIEW', productId: clicked, recommendationId: served.recommendationId }]);
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    const someoneElse = await track(randomUUID(), [{ type: 'CLICK', productId: clicked, recommendationId: served.recommendationId }]);
    expect(errorCodes(someoneElse)).toEqual(['BAD_USER_INPUT']);
  });

  it('credits a click on a slate item once: clicking it again rewards nothing more', async () => {
    const userId = randomUUID();
    const served = (await slate(userId, { first: 5 })).data!.recommendations;
    expect(served.items.length).toBeGreaterThan(1);
    const [clicked, control] = [served.items[0]!.product.id, served.items[1]!.product.id];
    const clicks = async (productId: string): Promise<number> => {
      const [row]: { clicks: number }[] = await recommendationDb.dataSource.query('SELECT clicks FROM arm_stat WHERE slot = ? AND product_id = ?', [
        'HOME',
        productId,
      ]);
      return Number(row?.clicks ?? 0);
    };
    const [before, controlBefore] = [await clicks(clicked), await clicks(control)];
    const click = (productId: string) => track(userId, [{ type: 'CLICK', productId, recommendationId: served.recommendationId }]);
    expect((await click(clicked)).errors).toBeUndefined();
    await until('the first click in arm_stat', async () => ((await clicks(clicked)) === before + 1 ? true : undefined));
    // Five more clicks on it, one per batch and two in one batch, then one on another item: once
    // that one is flushed, so would the repeats have been.
    for (let i = 0; i < 3; i += 1) expect((await click(clicked)).errors).toBeUndefined();
    const twice = await track(userId, [
      { type: 'CLICK', productId: clicked, recommendationId: served.recommendationId },
      { type: 'CLICK', productId: clicked, recommendationId: served.recommendationId },
    ]);
    expect(twice.data?.trackEvents).toEqual({ accepted: 2, duplicates: 0 });
    expect((await click(control)).errors).toBeUndefined();
    await until('the control click in arm_stat', async () => ((await clicks(control)) === controlBefore + 1 ? true : undefined));
    expect(await clicks(clicked)).toBe(before + 1);
    // Every click is still in the log: only the credit is once.
    const [logged]: { n: number }[] = await recommendationDb.dataSource.query(
      'SELECT COUNT(*) AS n FROM behaviour_event WHERE user_id = ? AND product_id = ? AND type = ?',
      [userId, clicked, 'CLICK'],
    );
    expect(Number(logged!.n)).toBe(6);
  });

  it('asks the worker to recompute interests after new events', async () => {
    const userId = randomUUID();
    const queue = openQueue(QueueName.InterestUpdate, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
    try {
      await track(userId, [{ type: 'VIEW', productId: ids.running0 }]);
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.map((job) => job.data.userId)).toContain(userId);
    } finally {
      await queue.close();
    }
  });

  it('shows a shopper their interest profile, and nobody else but admins', async () => {
    const userId = randomUUID();
    const updatedAt = new Date('2026-11-01T10:00:00.000Z');
    await new InterestStore(recommendationDb.dataSource).save({
      userId,
      profile: {
        interests: [
          {
            centroid: direction(GROUPS.running, 0),
            weight: 0.7,
            strength: 5,
            categories: [{ id: '17', weight: 0.9 }],
            keywords: [
              { term: 'trail', weight: 0.8 },
              { term: 'shoes', weight: 0.5 },
            ],
            signals: 4,
          },
          { centroid: direction(GROUPS.baby, 0), weight: 0.3, strength: 2, categories: [], keywords: [], signals: 2 },
        ],
        avoid: [],
      },
      signals: 6,
      model: 'test',
      modelVersion: '1',
      updatedAt,
      sequenceQueries: [],
    });
    const PROFILE = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User {
      interestProfile { signals updatedAt interests { label weight signals topKeywords topCategories { category { id } weight } } } } } }`;
    type Profile = { _entities: { interestProfile: unknown }[] };
    const mine = await call<Profile>(PROFILE, { reps: [{ __typename: 'User', id: userId }] }, shopper(userId));
    expect(mine.errors).toBeUndefined();
    expect(mine.data!._entities[0]!.interestProfile).toEqual({
      signals: 6,
      updatedAt: updatedAt.toISOString(),
      interests: [
        { label: 'trail · shoes', weight: 0.7, signals: 4, topKeywords: ['trail', 'shoes'], topCategories: [{ category: { id: '17' }, weight: 0.9 }] },
        { label: 'Interest 2', weight: 0.3, signals: 2, topKeywords: [], topCategories: [] },
      ],
    });
    const admin = await call<Profile>(PROFILE, { reps: [{ __typename: 'User', id: userId }] }, ADMIN);
    expect(admin.data!._entities[0]!.interestProfile).not.toBeNull();
    expect(errorCodes(await call(PROFILE, { reps: [{ __typename: 'User', id: userId }] }, shopper(randomUUID())))).toEqual(['FORBIDDEN']);
    const none = await call<Profile>(PROFILE, { reps: [{ __typename: 'User', id: randomUUID() }] }, ADMIN);
    expect(none.data!._entities[0]!.interestProfile).toBeNull();
  });

  it('refuses bad arguments with coded errors', async () => {
    const userId = randomUUID();
    expect(errorCodes(await call(SLATE, {}))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await slate(userId, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await slate(userId, { first: 51 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await slate(userId, { exclude: ['not-an-id'] }))).toEqual(['BAD_USER_INPUT']);
  });
});
