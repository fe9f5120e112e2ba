import type { Identity } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, sqlStatements, subgraphClient, testEnv, type GraphQLResponse } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { EventStore, openRecommendationDataSource, type EventRow } from '../src';
import { EventType } from '../src/event/event-type';

// No feedback subgraph here: review quality (which reads it) is off.
// Timers that query on their own (bandit flushes, the running-experiments refresh) are pushed out of
// the test's way: the N+1 check counts every statement the process runs while a request is served.
const env = testEnv({
  CATALOGUE_PORT: '0',
  RECOMMENDATION_PORT: '0',
  REVIEW_QUALITY_WEIGHT: '0',
  SEGMENT_REFRESH_MS: '0',
  BANDIT_FLUSH_MS: '3600000',
  EXPERIMENT_REFRESH_MS: '3600000',
});
const catalogueConfig = loadCatalogueConfig(env);
let config: ReturnType<typeof loadRecommendationConfig>;
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let call: ReturnType<typeof subgraphClient>;

const ADMIN: Identity = { userId: 'admin-1', roles: ['admin'] };
const shopper = (userId: string): Identity => ({ userId, roles: ['shopper'] });

/** Category name -> id, product key -> { id, categoryId }. */
const categories: Record<string, string> = {};
const products: Record<string, { id: string; categoryId: string }> = {};

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  config = loadRecommendationConfig({ ...env, CATALOGUE_URL: catalogue.url });
  subgraph = await startRecommendationSubgraph(config);
  call = subgraphClient(subgraph.url);

  const admin = subgraphClient(catalogue.url);
  const catalogueLayout: Record<string, string[]> = {
    Shoes: ['shoe1', 'shoe2'],
    Books: ['book1', 'book2'],
    Running: ['run1', 'run2', 'run3', 'run4'],
    Cooking: ['cook1', 'cook2', 'cook3'],
    Garden: ['garden1', 'garden2'],
  };
  for (const [name, keys] of Object.entries(catalogueLayout)) {
    const category = await admin<{ createCategory: { id: string } }>(
      'mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
      { input: { name } },
      ADMIN,
    );
    expect(category.errors).toBeUndefined();
    categories[name] = category.data!.createCategory.id;
    for (const key of keys) {
      const product = await admin<{ createProduct: { id: string; category: { id: string } } }>(
        'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id category { id } } }',
        { input: { sku: `SKU-${key}`, title: key, categoryId: categories[name], price: 10 } },
        ADMIN,
      );
      expect(product.errors).toBeUndefined();
      products[key] = { id: product.data!.createProduct.id, categoryId: product.data!.createProduct.category.id };
    }
  }
});

afterAll(async () => {
  await subgraph?.stop();
  await catalogue?.stop();
  await dropTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
});

const TRACK = `mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted duplicates } }`;
type Track = { trackEvents: { accepted: number; duplicates: number } };

interface EventInput {
  type: EventType;
  productId?: string | null;
  query?: string | null;
  occurredAt?: string;
  sessionId: string;
  clientEventId: string;
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
let eventSeq = 0;
const ev = (type: EventType, productKey: string | null, extra: Partial<EventInput> = {}): EventInput => ({
  type,
  productId: productKey ? products[productKey]!.id : null,
  sessionId: 'session-1',
  clientEventId: `ev-${(eventSeq += 1)}`,
  ...extra,
});

const track = (userId: string, events: EventInput[]) => call<Track>(TRACK, { events }, shopper(userId));

const ENTITIES = `query ($reps: [_Any!]!, $events: Int, $recs: Int) {
  _entities(representations: $reps) {
    ... on User {
      id
      recentEvents(first: $events) { id type product { id } query sessionId clientEventId occurredAt }
      recommendations(first: $recs) { product { id } score source reason }
    }
  }
}`;

interface RecentEvent {
  id: string;
  type: EventType;
  product: { id: string } | null;
  query: string | null;
  sessionId: string;
  clientEventId: string;
  occurredAt: string;
}
interface Rec {
  product: { id: string };
  score: number;
  source: string;
  reason: string;
}
type Entities = { _entities: { id: string; recentEvents: RecentEvent[]; recommendations: Rec[] }[] };

const entities = (userIds: string[], identity: Identity, events = 20, recs = 10): Promise<GraphQLResponse<Entities>> =>
  call<Entities>(ENTITIES, { reps: userIds.map((id) => ({ __typename: 'User', id })), events, recs }, identity);

async function count(table: 'behaviour_event' | 'product_popularity'): Promise<number> {
  const [row] = await subgraph.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(row.n);
}

async function popularity(): Promise<{ productId: string; categoryId: string | null; score: number; events: number }[]> {
  const rows: { productId: string; categoryId: string | null; score: number; events: number }[] = await subgraph.dataSource.query(
    'SELECT product_id AS productId, category_id AS categoryId, score, events FROM product_popularity ORDER BY product_id',
  );
  return rows.map((row) => ({ ...row, score: Number(row.score), events: Number(row.events) }));
}

describe('recommendation subgraph on MariaDB with the catalogue', () => {
  it('records a batch for the signed-in shopper and reads it back newest first', async () => {
    const userId = randomUUID();
    const batch = [
      ev(EventType.VIEW, 'shoe1', { occurredAt: minutesAgo(4) }),
      ev(EventType.SEARCH, null, { query: '  trail shoes  ', occurredAt: minutesAgo(3) }),
      ev(EventType.CART, 'shoe1', { occurredAt: minutesAgo(2) }),
      ev(EventType.CLICK, 'book1', { occurredAt: minutesAgo(1), sessionId: 'session-2' }),
      ev(EventType.PURCHASE, 'shoe2'),
    ];
    const before = await popularity();
    const tracked = await track(userId, batch);
    expect(tracked.errors).toBeUndefined();
    expect(tracked.data?.trackEvents).toEqual({ accepted: 5, duplicates: 0 });

    const read = await entities([userId], shopper(userId), 3);
    expect(read.errors).toBeUndefined();
    const recent = read.data!._entities[0]!.recentEvents;
    expect(recent.map((event) => [event.type, event.product?.id ?? null, event.clientEventId])).toEqual([
      [EventType.PURCHASE, products.shoe2!.id, batch[4]!.clientEventId],
      [EventType.CLICK, products.book1!.id, batch[3]!.clientEventId],
      [EventType.CART, products.shoe1!.id, batch[2]!.clientEventId],
    ]);
    expect(recent[1]).toMatchObject({ sessionId: 'session-2', occurredAt: batch[3]!.occurredAt, query: null });
    const all = (await entities([userId], shopper(userId), 100)).data!._entities[0]!.recentEvents;
    expect(all).toHaveLength(5);
    expect(all[3]).toMatchObject({ type: EventType.SEARCH, product: null, query: 'trail shoes' });

    // The category is copied from the catalogue, and popularity moved by the event weights.
    const stored: { clientEventId: string; categoryId: string | null }[] = await subgraph.dataSource.query(
      'SELECT client_event_id AS clientEventId, category_id AS categoryId FROM behaviour_event WHERE user_id = ? ORDER BY id',
      [userId],
    );
    expect(stored.map((row) => row.categoryId)).toEqual([categories.Shoes, null, categories.Shoes, categories.Books, categories.Shoes]);
    const after = await popularity();
    const delta = (key: string) => {
      const was = before.find((row) => row.productId === products[key]!.id);
      const now = after.find((row) => row.productId === products[key]!.id)!;
      return { score: now.score - (was?.score ?? 0), events: now.events - (was?.events ?? 0), categoryId: now.categoryId };
    };
    expect(delta('shoe1')).toEqual({ score: 1 + 3, events: 2, categoryId: categories.Shoes });
    expect(delta('book1')).toEqual({ score: 2, events: 1, categoryId: categories.Books });
    expect(delta('shoe2')).toEqual({ score: 5, events: 1, categoryId: categories.Shoes });
  });

  it('refuses anonymous callers', async () => {
    const response = await call(TRACK, { events: [ev(EventType.VIEW, 'shoe1')] });
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('is idempotent: a retried batch records nothing new and reports duplicates', async () => {
    const userId = randomUUID();
    const batch = [ev(EventType.VIEW, 'book2'), ev(EventType.CART, 'book2'), ev(EventType.SEARCH, null, { query: 'novels' })];
    expect((await track(userId, batch)).data?.trackEvents).toEqual({ accepted: 3, duplicates: 0 });
    const events = await count('behaviour_event');
    const scores = await popularity();

    expect((await track(userId, batch)).data?.trackEvents).toEqual({ accepted: 0, duplicates: 3 });
    expect(await count('behaviour_event')).toBe(events);
    expect(await popularity()).toEqual(scores);

    // A batch mixing old and new events records only the new ones; a repeat inside a batch counts once.
    const fresh = ev(EventType.VIEW, 'book2');
    const mixed = await track(userId, [batch[0]!, fresh, { ...fresh }]);
    expect(mixed.data?.trackEvents).toEqual({ accepted: 1, duplicates: 2 });
    expect(await count('behaviour_event')).toBe(events + 1);

    // clientEventIds are per shopper: another shopper may reuse them.
    expect((await track(randomUUID(), batch)).data?.trackEvents).toEqual({ accepted: 3, duplicates: 0 });
  });

  it('records a batch once when the same batch arrives twice at the same time', async () => {
    const userId = randomUUID();
    const batch = [ev(EventType.VIEW, 'garden1'), ev(EventType.CLICK, 'garden1'), ev(EventType.VIEW, 'garden2')];
    const before = (await popularity()).find((row) => row.productId === products.garden1!.id);
    const results = await Promise.all([track(userId, batch), track(userId, batch)]);
    for (const result of results) expect(result.errors).toBeUndefined();
    const accepted = results.map((result) => result.data!.trackEvents.accepted);
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(3);
    expect(results.map((result) => result.data!.trackEvents.duplicates).reduce((a, b) => a + b, 0)).toBe(3);
    const after = (await popularity()).find((row) => row.productId === products.garden1!.id)!;
    expect(after.score - (before?.score ?? 0)).toBe(1 + 2);
  });

  it('rejects every bad input with a coded error naming the event, and writes nothing', async () => {
    const userId = randomUUID();
    const valid = () => ev(EventType.VIEW, 'shoe1');
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const cases: { events: EventInput[]; code: string; index?: number; field: string }[] = [
      { events: [], code: 'BAD_USER_INPUT', field: 'events' },
      { events: Array.from({ length: 501 }, valid), code: 'BAD_USER_INPUT', field: 'events' },
      { events: [valid(), ev(EventType.VIEW, null)], code: 'BAD_USER_INPUT', index: 1, field: 'productId' },
      { events: [valid(), ev(EventType.PURCHASE, null)], code: 'BAD_USER_INPUT', index: 1, field: 'productId' },
      { events: [valid(), ev(EventType.SEARCH, null)], code: 'BAD_USER_INPUT', index: 1, field: 'query' },
      { events: [valid(), ev(EventType.SEARCH, null, { query: '   ' })], code: 'BAD_USER_INPUT', index: 1, field: 'query' },
      { events: [valid(), ev(EventType.SEARCH, null, { query: 'x'.repeat(501) })], code: 'BAD_USER_INPUT', index: 1, field: 'query' },
      { events: [valid(), ev(EventType.SEARCH, 'shoe1', { query: 'shoes' })], code: 'BAD_USER_INPUT', index: 1, field: 'productId' },
      { events: [valid(), ev(EventType.VIEW, 'shoe1', { occurredAt: future })], code: 'BAD_USER_INPUT', index: 1, field: 'occurredAt' },
      { events: [valid(), ev(EventType.VIEW, 'shoe1', { sessionId: '' })], code: 'BAD_USER_INPUT', index: 1, field: 'sessionId' },
      { events: [valid(), ev(EventType.VIEW, 'shoe1', { clientEventId: '' })], code: 'BAD_USER_INPUT', index: 1, field: 'clientEventId' },
      { events: [valid(), ev(EventType.VIEW, 'shoe1', { clientEventId: 'has space' })], code: 'BAD_USER_INPUT', index: 1, field: 'clientEventId' },
      { events: [valid(), ev(EventType.VIEW, 'shoe1', { clientEventId: 'x'.repeat(65) })], code: 'BAD_USER_INPUT', index: 1, field: 'clientEventId' },
      { events: [valid(), valid(), { ...valid(), productId: '987654321' }], code: 'NOT_FOUND', index: 2, field: 'productId' },
      { events: [valid(), { ...valid(), productId: 'not-an-id' }], code: 'NOT_FOUND', index: 1, field: 'productId' },
    ];
    const events = await count('behaviour_event');
    const scores = await popularity();
    for (const testCase of cases) {
      const response = await track(userId, testCase.events);
      expect({ field: testCase.field, codes: errorCodes(response) }).toEqual({ field: testCase.field, codes: [testCase.code] });
      const extensions = response.errors![0]!.extensions!;
      expect(extensions.field).toBe(testCase.field);
      expect(extensions.index).toBe(testCase.index);
      expect(response.data).toBeNull();
    }
    const wrongType = await call(TRACK, { events: [{ ...valid(), type: 'LIKE' }] }, shopper(userId));
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(await count('behaviour_event')).toBe(events);
    expect(await popularity()).toEqual(scores);
  });

  it("keeps a shopper's events and recommendations to themselves and admins", async () => {
    const owner = randomUUID();
    await track(owner, [ev(EventType.VIEW, 'shoe2')]);
    for (const field of ['recentEvents { id }', 'recommendations { score }']) {
      const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { ${field} } } }`;
      const reps = [{ __typename: 'User', id: owner }];
      expect(errorCodes(await call(query, { reps }, shopper(randomUUID())))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await call(query, { reps }))).toEqual(['UNAUTHENTICATED']);
      expect((await call(query, { reps }, ADMIN)).errors).toBeUndefined();
      expect((await call(query, { reps }, shopper(owner))).errors).toBeUndefined();
    }
    const tooMany = await entities([owner], shopper(owner), 101);
    expect(errorCodes(tooMany)).toContain('BAD_USER_INPUT');
    const tooManyRecs = await entities([owner], shopper(owner), 20, 51);
    expect(errorCodes(tooManyRecs)).toContain('BAD_USER_INPUT');
  });

  it("recommends what is popular in the shopper's categories, never what they bought", async () => {
    const runner = randomUUID();
    const others = [randomUUID(), randomUUID()];
    const cook = randomUUID();
    // Running popularity: run1 1+3 views = 4, run2 2 views = 2, run3 cart = 3, run4 purchase = 5.
    // (A shopper's events of one type on one product count twice a day at most, so others share the views.)
    await track(runner, [
      ev(EventType.VIEW, 'run1', { occurredAt: minutesAgo(10) }),
      ev(EventType.VIEW, 'run2', { occurredAt: minutesAgo(9) }),
      ev(EventType.VIEW, 'run2', { occurredAt: minutesAgo(8) }),
      ev(EventType.CART, 'run3', { occurredAt: minutesAgo(7) }),
      ev(EventType.PURCHASE, 'run4', { occurredAt: minutesAgo(6) }),
    ]);
    await track(others[0]!, [ev(EventType.VIEW, 'run1'), ev(EventType.VIEW, 'run1')]);
    await track(others[1]!, [ev(EventType.VIEW, 'run1')]);
    // Cooking is far more popular overall, but the runner never looked at it.
    await track(cook, [ev(EventType.PURCHASE, 'cook1'), ev(EventType.PURCHASE, 'cook1'), ev(EventType.PURCHASE, 'cook2'), ev(EventType.CART, 'cook3')]);

    const response = await entities([runner], shopper(runner), 20, 50);
    expect(response.errors).toBeUndefined();
    const recs = response.data!._entities[0]!.recommendations;
    expect(recs.slice(0, 3)).toEqual([
      { product: { id: products.run1!.id }, score: 0.8, source: 'popular-in-category', reason: 'Popular in a category you bought from' },
      { product: { id: products.run3!.id }, score: 0.6, source: 'popular-in-category', reason: 'Popular in a category you bought from' },
      { product: { id: products.run2!.id }, score: 0.4, source: 'popular-in-category', reason: 'Popular in a category you bought from' },
    ]);
    const rest = recs.slice(3);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((rec) => rec.source === 'popular' && rec.reason === 'Popular with Serendip shoppers')).toBe(true);
    const ids = recs.map((rec) => rec.product.id);
    expect(ids).not.toContain(products.run4!.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The fill follows the global popularity order.
    const global = (await popularity())
      .sort((a, b) => b.score - a.score || Number(a.productId) - Number(b.productId))
      .map((row) => row.productId)
      .filter((id) => !ids.slice(0, 3).includes(id) && id !== products.run4!.id);
    expect(rest.map((rec) => rec.product.id)).toEqual(global.slice(0, rest.length));
    expect(rest[0]!.product.id).toBe(products.cook1!.id);

    const first2 = await entities([runner], shopper(runner), 1, 2);
    expect(first2.data!._entities[0]!.recommendations.map((rec) => rec.product.id)).toEqual([products.run1!.id, products.run3!.id]);

    // A shopper with no history gets the global list.
    const newcomer = randomUUID();
    const fresh = (await entities([newcomer], shopper(newcomer), 20, 5)).data!._entities[0]!;
    expect(fresh.recentEvents).toEqual([]);
    const top = (await popularity()).sort((a, b) => b.score - a.score || Number(a.productId) - Number(b.productId));
    expect(fresh.recommendations.map((rec) => rec.product.id)).toEqual(top.slice(0, 5).map((row) => row.productId));
    expect(fresh.recommendations[0]).toMatchObject({ score: 1, source: 'popular' });
  });

  it('resolves recentEvents and recommendations for 20 users with a constant number of queries', async () => {
    const userIds = Array.from({ length: 20 }, () => randomUUID());
    const keys = Object.keys(products);
    for (const [i, userId] of userIds.entries()) {
      const tracked = await track(userId, [
        ev(EventType.VIEW, keys[i % keys.length]!),
        ev(EventType.PURCHASE, keys[(i + 3) % keys.length]!),
        ev(EventType.SEARCH, null, { query: `query ${i}` }),
      ]);
      expect(tracked.errors).toBeUndefined();
    }

    const two = await entities(userIds.slice(0, 2), ADMIN);
    expect(two.errors).toBeUndefined();
    const forTwo = sqlStatements(two);

    const twenty = await entities(userIds, ADMIN);
    expect(twenty.errors).toBeUndefined();
    const forTwenty = sqlStatements(twenty);

    expect(twenty.data!._entities.map((user) => user.id)).toEqual(userIds);
    for (const [i, user] of twenty.data!._entities.entries()) {
      expect(user.recentEvents).toHaveLength(3);
      expect(user.recommendations).toHaveLength(10);
      expect(user.recommendations.map((rec) => rec.product.id)).not.toContain(products[keys[(i + 3) % keys.length]!]!.id);
    }
    expect(forTwenty).toBe(forTwo);
    // Consent, events, histories, popular per category, popular overall.
    expect(forTwenty).toBeLessThanOrEqual(5);
  });

  it('imports events through the EventStore idempotently, keeping popularity exact', async () => {
    const { dataSource } = await openRecommendationDataSource(config);
    try {
      const store = new EventStore(dataSource);
      const userId = randomUUID();
      const rows: EventRow[] = Array.from({ length: 2500 }, (_, i) => ({
        userId,
        type: [EventType.VIEW, EventType.CLICK, EventType.CART, EventType.PURCHASE, EventType.SEARCH][i % 5]!,
        productId: i % 5 === 4 ? null : products[i % 2 === 0 ? 'garden2' : 'book1']!.id,
        categoryId: i % 5 === 4 ? null : i % 2 === 0 ? categories.Garden! : categories.Books!,
        query: i % 5 === 4 ? `imported ${i}` : null,
        sessionId: `import-${Math.floor(i / 100)}`,
        clientEventId: `import-${i}`,
        occurredAt: new Date(Date.UTC(2024, 0, 1) + i * 1000),
      }));
      const before = await store.countEvents();
      expect(await store.insertEvents(rows)).toEqual({ inserted: 2500, duplicates: 0 });
      expect(await store.countEvents()).toBe(before + 2500);
      const scores = await popularity();

      expect(await store.insertEvents(rows)).toEqual({ inserted: 0, duplicates: 2500 });
      expect(await store.countEvents()).toBe(before + 2500);
      expect(await popularity()).toEqual(scores);

      // The aggregate kept incrementally by trackEvents equals a rebuild from the log.
      await store.rebuildPopularity();
      expect(await popularity()).toEqual(scores);
      const score = `SUM(CASE type WHEN 'PURCHASE' THEN 5 WHEN 'CART' THEN 3 WHEN 'CLICK' THEN 2 WHEN 'VIEW' THEN 1 ELSE 0 END)`;
      const [expected] = await dataSource.query(`SELECT ${score} AS score FROM behaviour_event WHERE product_id = ? AND counted = 1`, [products.garden2!.id]);
      // Of the imported shopper's 125 events of each type on garden2, all in one day, two count.
      const [imported] = await dataSource.query(`SELECT ${score} AS score FROM behaviour_event WHERE product_id = ? AND user_id = ? AND counted = 1`, [
        products.garden2!.id,
        userId,
      ]);
      expect(Number(imported.score)).toBe(2 * (5 + 3 + 2 + 1));
      expect(scores.find((row) => row.productId === products.garden2!.id)?.score).toBe(Number(expected.score));

      // Imported history is what the tracking API reads back.
      const recent = (await entities([userId], shopper(userId), 2)).data!._entities[0]!.recentEvents;
      expect(recent.map((event) => event.clientEventId)).toEqual(['import-2499', 'import-2498']);
    } finally {
      await dataSource.destroy();
    }
  });
});
