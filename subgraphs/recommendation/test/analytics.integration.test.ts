import type { Identity } from '@serendip/federation';
import { seededRng } from '@serendip/privacy';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testEnv, type GraphQLResponse } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { EventStore, EventType, type EventRow } from '../src';
import { AnalyticsService } from '../src/analytics/analytics.service';
import { PrivacyBudgetStore } from '../src/analytics/privacy-budget.store';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';

/**
 * Behaviour analytics on MariaDB: a small week of events seeded through the EventStore, every
 * figure checked against counts worked out by hand (below), then differentially private releases
 * and the privacy budget. No feedback subgraph: review quality is off.
 */
const env = testEnv({
  CATALOGUE_PORT: '0',
  RECOMMENDATION_PORT: '0',
  REVIEW_QUALITY_WEIGHT: '0',
  PRIVACY_BUDGET_EPSILON: '10',
  PRIVACY_BUDGET_DELTA: '1e-4',
  PRIVACY_MAX_CONTRIBUTIONS: '2',
  // Every test here spends from one database; the platform's budget has tests of its own below.
  PRIVACY_TOTAL_BUDGET_EPSILON: '1000',
  PRIVACY_TOTAL_BUDGET_DELTA: '1e-3',
});
const catalogueConfig = loadCatalogueConfig(env);
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let call: ReturnType<typeof subgraphClient>;

const admin = (): Identity => ({ userId: randomUUID(), roles: ['admin'] });
const SHOPPER: Identity = { userId: randomUUID(), roles: ['shopper'] };

// Monday 3 to Sunday 9 March 2025, UTC. Categories 101 (P1, P2, P4) and 102 (P3).
const WEEK = { from: '2025-03-03T00:00:00.000Z', to: '2025-03-10T00:00:00.000Z' };
const CATEGORY = { P1: '101', P2: '101', P3: '102', P4: '101' } as const;
const PRODUCT = { P1: '1001', P2: '1002', P3: '1003', P4: '1004' } as const;
type Product = keyof typeof PRODUCT;

const shoppers = { A: randomUUID(), B: randomUUID(), C: randomUUID(), D: randomUUID(), E: randomUUID(), F: randomUUID(), G: randomUUID() };
let seq = 0;
const at = (user: keyof typeof shoppers, session: string, occurredAt: string, type: EventType, product: Product | null): EventRow => ({
  userId: shoppers[user],
  type,
  productId: product ? PRODUCT[product] : null,
  categoryId: product ? CATEGORY[product] : null,
  query: product ? null : 'garden hose',
  sessionId: session,
  clientEventId: `fixture-${(seq += 1)}`,
  occurredAt: new Date(occurredAt),
});

/**
 * 17 events in the week. Sessions (events, seconds, purchase): a1 (3, 120, yes), a2 (2, 10, yes),
 * b1 (3, 180, no), c1 (1, 0, no), d1 (1, 0, yes), d2 (2, 300, no), d3 (1, 0, yes), f1 (2, 20, no),
 * g1 (2, 1800, yes). Purchase days: A 3rd and 5th, D 6th and 9th, G twice on the 8th.
 * E's events fall just outside the week.
 */
const FIXTURE: EventRow[] = [
  at('A', 'a1', '2025-03-03T10:00:00Z', EventType.VIEW, 'P1'),
  at('A', 'a1', '2025-03-03T10:00:30Z', EventType.CART, 'P1'),
  at('A', 'a1', '2025-03-03T10:02:00Z', EventType.PURCHASE, 'P1'),
  at('A', 'a2', '2025-03-05T09:00:00Z', EventType.VIEW, 'P3'),
  at('A', 'a2', '2025-03-05T09:00:10Z', EventType.PURCHASE, 'P3'),
  at('B', 'b1', '2025-03-03T11:00:00Z', EventType.VIEW, 'P1'),
  at('B', 'b1', '2025-03-03T11:01:00Z', EventType.VIEW, 'P2'),
  at('B', 'b1', '2025-03-03T11:03:00Z', EventType.CART, 'P2'),
  at('C', 'c1', '2025-03-04T22:00:00Z', EventType.VIEW, 'P2'),
  at('D', 'd1', '2025-03-06T12:00:00Z', EventType.PURCHASE, 'P3'),
  at('D', 'd2', '2025-03-08T12:00:00Z', EventType.SEARCH, null),
  at('D', 'd2', '2025-03-08T12:05:00Z', EventType.VIEW, 'P1'),
  at('D', 'd3', '2025-03-09T08:00:00Z', EventType.PURCHASE, 'P1'),
  at('E', 'e1', '2025-03-02T23:59:59.999Z', EventType.PURCHASE, 'P1'),
  at('E', 'e1', '2025-03-10T00:00:00Z', EventType.VIEW, 'P1'),
  at('F', 'f1', '2025-03-07T15:00:00Z', EventType.VIEW, 'P4'),
  at('F', 'f1', '2025-03-07T15:00:20Z', EventType.VIEW, 'P4'),
  at('G', 'g1', '2025-03-08T20:00:00Z', EventType.PURCHASE, 'P3'),
  at('G', 'g1', '2025-03-08T20:30:00Z', EventType.PURCHASE, 'P3'),
];

/** A busy week in June 2024 for noise measurements: 150 shoppers who each view, cart and buy P1 once. */
const BUSY = { from: '2024-06-03T00:00:00.000Z', to: '2024-06-10T00:00:00.000Z' };
const BUSY_SHOPPERS = 150;

beforeAll(async () => {
  await createTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  subgraph = await startRecommendationSubgraph(loadRecommendationConfig({ ...env, CATALOGUE_URL: catalogue.url }));
  call = subgraphClient(subgraph.url);
  const busy = Array.from({ length: BUSY_SHOPPERS }, (_, index) => {
    const userId = randomUUID();
    return [EventType.VIEW, EventType.CART, EventType.PURCHASE].map((type, step) => ({
      userId,
      type,
      productId: PRODUCT.P1,
      categoryId: CATEGORY.P1,
      query: null,
      sessionId: 'busy',
      clientEventId: `busy-${step}`,
      occurredAt: new Date(Date.parse(BUSY.from) + index * 60_000 + step * 1000),
    }));
  }).flat();
  await new EventStore(subgraph.dataSource).insertEvents([...FIXTURE, ...busy]);
});

afterAll(async () => {
  await subgraph?.stop();
  await catalogue?.stop();
  await dropTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
});

const PRIVACY = 'privacy { mechanism epsilon delta scale sensitivity budgetRemaining budgetRemainingDelta }';
const FUNNEL = `query ($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID, $privacy: PrivacyInput) {
  behaviourFunnel(from: $from, to: $to, categoryId: $categoryId, privacy: $privacy) {
    steps { type events shoppers reached conversion overallConversion } ${PRIVACY}
  }
}`;
const BY_PRODUCT = `query ($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID!, $first: Int, $after: String) {
  behaviourFunnelByProduct(from: $from, to: $to, categoryId: $categoryId, first: $first, after: $after) {
    nodes { product { id } views carts purchases cartRate conversion } pageInfo { hasNextPage endCursor } totalCount
  }
}`;
const ACTIVITY = `query ($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID, $privacy: PrivacyInput) {
  activityPatterns(from: $from, to: $to, categoryId: $categoryId, privacy: $privacy) {
    byHour { hour events byType { type events } } byWeekday { weekday events byType { type events } } ${PRIVACY}
  }
}`;
const SESSIONS = `query ($from: DateTimeISO!, $to: DateTimeISO!, $privacy: PrivacyInput) {
  sessionStatistics(from: $from, to: $to, privacy: $privacy) {
    sessions meanEventsPerSession medianEventsPerSession meanDurationSeconds medianDurationSeconds bounceRate sessionsWithPurchase ${PRIVACY}
  }
}`;
const AFFINITY = `query ($from: DateTimeISO!, $to: DateTimeISO!, $first: Int, $after: String) {
  categoryAffinity(from: $from, to: $to, first: $first, after: $after) {
    nodes { category { id } shoppers events purchases buyers conversion shareOfShoppers lift }
    pageInfo { hasNextPage endCursor } totalCount totalShoppers overallConversion
  }
}`;
const REPEAT = `query ($from: DateTimeISO!, $to: DateTimeISO!, $privacy: PrivacyInput) {
  repeatPurchase(from: $from, to: $to, privacy: $privacy) { purchasers repeatPurchasers repeatRate medianDaysBetweenPurchases ${PRIVACY} }
}`;
const BUDGET = 'query { privacyBudget { analystId total spent remaining } }';
const GRANT =
  'mutation ($analystId: ID!, $epsilon: Float!) { grantPrivacyBudget(analystId: $analystId, epsilon: $epsilon) { analystId total spent remaining } }';

type Data = Record<string, Record<string, unknown>>;
const ask = (query: string, variables: Record<string, unknown>, identity: Identity) => call<Data>(query, variables, identity);

function ok<T extends Data>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}

interface Step {
  type: EventType;
  events: number;
  shoppers: number;
  reached: number;
  conversion: number | null;
  overallConversion: number | null;
}
const step = (type: EventType, events: number, shoppers: number, reached: number, conversion: number | null, overallConversion: number | null): Step => ({
  type,
  events,
  shoppers,
  reached,
  conversion,
  overallConversion,
});

async function ledger(analystId: string): Promise<{ query: string; epsilon: number; delta: number | null }[]> {
  return subgraph.dataSource.query('SELECT query, epsilon, delta FROM privacy_ledger WHERE analyst_id = ? ORDER BY id', [analystId]);
}

describe('exact behaviour analytics', () => {
  const analyst = admin();

  it('counts the funnel: events and shoppers per step, and shoppers who did every step so far', async () => {
    const all = ok(await ask(FUNNEL, WEEK, analyst)).behaviourFunnel!;
    expect(all).toEqual({
      steps: [step(EventType.VIEW, 8, 5, 5, null, 1), step(EventType.CART, 2, 2, 2, 0.4, 0.4), step(EventType.PURCHASE, 6, 3, 1, 0.5, 0.2)],
      privacy: null,
    });
    const inCategory = ok(await ask(FUNNEL, { ...WEEK, categoryId: '101' }, analyst)).behaviourFunnel!;
    expect(inCategory.steps).toEqual([
      step(EventType.VIEW, 7, 5, 5, null, 1),
      step(EventType.CART, 2, 2, 2, 0.4, 0.4),
      step(EventType.PURCHASE, 2, 2, 1, 0.5, 0.2),
    ]);
  });

  it('drills down per product, most viewed first with ties by id, page by page', async () => {
    const first = ok(await ask(BY_PRODUCT, { ...WEEK, categoryId: '101', first: 2 }, analyst)).behaviourFunnelByProduct!;
    expect(first.nodes).toEqual([
      { product: { id: PRODUCT.P1 }, views: 3, carts: 1, purchases: 2, cartRate: 1 / 3, conversion: 2 / 3 },
      { product: { id: PRODUCT.P2 }, views: 2, carts: 1, purchases: 0, cartRate: 0.5, conversion: 0 },
    ]);
    expect(first.totalCount).toBe(3);
    const pageInfo = first.pageInfo as { hasNextPage: boolean; endCursor: string };
    expect(pageInfo.hasNextPage).toBe(true);
    const second = ok(await ask(BY_PRODUCT, { ...WEEK, categoryId: '101', first: 2, after: pageInfo.endCursor }, analyst)).behaviourFunnelByProduct!;
    expect(second.nodes).toEqual([{ product: { id: PRODUCT.P4 }, views: 2, carts: 0, purchases: 0, cartRate: 0, conversion: 0 }]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false });

    const bad = await ask(BY_PRODUCT, { ...WEEK, categoryId: '101', after: 'not-a-cursor' }, analyst);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('spreads events over the hours and weekdays of UTC, per type', async () => {
    const patterns = ok(await ask(ACTIVITY, WEEK, analyst)).activityPatterns as {
      byHour: { hour: number; events: number; byType: { type: EventType; events: number }[] }[];
      byWeekday: { weekday: string; events: number; byType: { type: EventType; events: number }[] }[];
      privacy: null;
    };
    expect(patterns.byHour.map((hour) => hour.hour)).toEqual([...Array(24).keys()]);
    const busyHours = Object.fromEntries(patterns.byHour.filter((hour) => hour.events > 0).map((hour) => [hour.hour, hour.events]));
    expect(busyHours).toEqual({ 8: 1, 9: 2, 10: 3, 11: 3, 12: 3, 15: 2, 20: 2, 22: 1 });
    expect(patterns.byHour[11]!.byType).toEqual([
      { type: EventType.VIEW, events: 2 },
      { type: EventType.SEARCH, events: 0 },
      { type: EventType.CART, events: 1 },
      { type: EventType.PURCHASE, events: 0 },
      { type: EventType.CLICK, events: 0 },
    ]);
    expect(patterns.byWeekday.map((day) => [day.weekday, day.events])).toEqual([
      ['MONDAY', 6],
      ['TUESDAY', 1],
      ['WEDNESDAY', 2],
      ['THURSDAY', 1],
      ['FRIDAY', 2],
      ['SATURDAY', 4],
      ['SUNDAY', 1],
    ]);
    const saturday = Object.fromEntries(patterns.byWeekday[5]!.byType.map((entry) => [entry.type, entry.events]));
    expect(saturday).toEqual({ VIEW: 1, SEARCH: 1, CART: 0, PURCHASE: 2, CLICK: 0 });
    expect(patterns.privacy).toBeNull();

    // Category 101 leaves out P3's events and the search.
    const inCategory = ok(await ask(ACTIVITY, { ...WEEK, categoryId: '101' }, analyst)).activityPatterns as typeof patterns;
    expect(inCategory.byWeekday.map((day) => day.events)).toEqual([6, 1, 0, 0, 2, 1, 1]);
  });

  it('measures sessions: length, duration, bounces and purchases', async () => {
    const sessions = ok(await ask(SESSIONS, WEEK, analyst)).sessionStatistics!;
    expect(sessions).toEqual({
      sessions: 9,
      meanEventsPerSession: expect.closeTo(17 / 9, 9),
      medianEventsPerSession: 2,
      meanDurationSeconds: expect.closeTo(2430 / 9, 6),
      medianDurationSeconds: 20,
      bounceRate: expect.closeTo(3 / 9, 9),
      sessionsWithPurchase: 5,
      privacy: null,
    });
  });

  it('ranks categories by shoppers with conversion, share and lift, page by page', async () => {
    const first = ok(await ask(AFFINITY, { ...WEEK, first: 1 }, analyst)).categoryAffinity!;
    expect(first).toMatchObject({ totalCount: 2, totalShoppers: 6, overallConversion: 0.5, pageInfo: { hasNextPage: true } });
    expect(first.nodes).toEqual([
      { category: { id: '101' }, shoppers: 5, events: 11, purchases: 2, buyers: 2, conversion: 0.4, shareOfShoppers: 5 / 6, lift: 0.8 },
    ]);
    const after = (first.pageInfo as { endCursor: string }).endCursor;
    const second = ok(await ask(AFFINITY, { ...WEEK, first: 1, after }, analyst)).categoryAffinity!;
    expect(second.nodes).toEqual([{ category: { id: '102' }, shoppers: 3, events: 5, purchases: 4, buyers: 3, conversion: 1, shareOfShoppers: 0.5, lift: 2 }]);
    expect(second.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
  });

  it('finds repeat purchasers by distinct purchase days', async () => {
    const repeat = ok(await ask(REPEAT, WEEK, analyst)).repeatPurchase!;
    // A bought 2 days apart and D 3; G twice on one day is no repeat.
    expect(repeat).toEqual({ purchasers: 3, repeatPurchasers: 2, repeatRate: 2 / 3, medianDaysBetweenPurchases: 2.5, privacy: null });
  });

  it('returns zeros and nulls for a period without events', async () => {
    const empty = { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' };
    expect(ok(await ask(SESSIONS, empty, analyst)).sessionStatistics).toMatchObject({
      sessions: 0,
      meanEventsPerSession: null,
      medianDurationSeconds: null,
      bounceRate: null,
    });
    expect(ok(await ask(REPEAT, empty, analyst)).repeatPurchase).toMatchObject({ purchasers: 0, repeatRate: null, medianDaysBetweenPurchases: null });
    expect(ok(await ask(FUNNEL, empty, analyst)).behaviourFunnel!.steps).toEqual([
      step(EventType.VIEW, 0, 0, 0, null, null),
      step(EventType.CART, 0, 0, 0, null, null),
      step(EventType.PURCHASE, 0, 0, 0, null, null),
    ]);
  });
});

describe('access and input checks', () => {
  const operations: [name: string, query: string, variables: Record<string, unknown>][] = [
    ['behaviourFunnel', FUNNEL, WEEK],
    ['behaviourFunnelByProduct', BY_PRODUCT, { ...WEEK, categoryId: '101' }],
    ['activityPatterns', ACTIVITY, WEEK],
    ['sessionStatistics', SESSIONS, WEEK],
    ['categoryAffinity', AFFINITY, WEEK],
    ['repeatPurchase', REPEAT, WEEK],
    ['privacyBudget', BUDGET, {}],
    ['grantPrivacyBudget', GRANT, { analystId: randomUUID(), epsilon: 1 }],
  ];

  it.each(operations)('%s is for admins only', async (_name, query, variables) => {
    expect(errorCodes(await call(query, variables))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await call(query, variables, SHOPPER))).toEqual(['FORBIDDEN']);
  });

  it.each(operations.slice(0, 6))('%s refuses a reversed, empty or too long period', async (_name, query, variables) => {
    const analyst = admin();
    const reversed = await ask(query, { ...variables, from: WEEK.to, to: WEEK.from }, analyst);
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const empty = await ask(query, { ...variables, from: WEEK.from, to: WEEK.from }, analyst);
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    const long = await ask(query, { ...variables, from: '2024-01-01T00:00:00Z', to: '2025-02-05T00:00:01Z' }, analyst);
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    // 400 days exactly is allowed.
    expect((await ask(query, { ...variables, from: '2024-01-01T00:00:00Z', to: '2025-02-04T00:00:00Z' }, analyst)).errors).toBeUndefined();
  });

  it('refuses a malformed category and page size', async () => {
    const analyst = admin();
    expect((await ask(FUNNEL, { ...WEEK, categoryId: 'shoes' }, analyst)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'categoryId',
    });
    expect((await ask(AFFINITY, { ...WEEK, first: 0 }, analyst)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('differentially private releases', () => {
  // The noise measurements spend more than any setting allows: in a period of their own, long past.
  const unlimited = { epsilon: 1e15, delta: 0.5 };
  const busyStore = () =>
    new PrivacyBudgetStore(subgraph.dataSource, { analyst: unlimited, platform: unlimited, periodDays: 30, now: () => new Date('2020-01-01T00:00:00Z') });

  it('adds Laplace noise of scale sensitivity / epsilon', async () => {
    // C = 1: every busy shopper adds 1 event and 1 shopper to each step; L1 = 3C + 5 = 8.
    const service = new AnalyticsService(subgraph.dataSource, busyStore(), { maxContributions: 1, maxDelta: 1e-5, rng: seededRng(7) });
    const period = { from: new Date(BUSY.from), to: new Date(BUSY.to) };
    const analystId = randomUUID();
    const deviations: number[] = [];
    for (let run = 0; run < 300; run += 1) {
      const funnel = await service.funnel(analystId, period, null, { mechanism: 'laplace', epsilon: 1 });
      expect(funnel.privacy).toMatchObject({ mechanism: 'LAPLACE', epsilon: 1, delta: null, sensitivity: 8, scale: 8 });
      for (const released of funnel.steps) deviations.push(Math.abs(released.events - BUSY_SHOPPERS), Math.abs(released.shoppers - BUSY_SHOPPERS));
    }
    const meanAbsoluteDeviation = deviations.reduce((sum, value) => sum + value, 0) / deviations.length;
    // E|X| = b for Laplace(b); 1800 draws put the estimate within a few percent.
    expect(meanAbsoluteDeviation).toBeGreaterThan(8 * 0.92);
    expect(meanAbsoluteDeviation).toBeLessThan(8 * 1.08);
  });

  it('adds Gaussian noise of sigma = L2 sensitivity * sqrt(2 ln(1.25 / delta)) / epsilon', async () => {
    const service = new AnalyticsService(subgraph.dataSource, busyStore(), { maxContributions: 1, maxDelta: 1e-5, rng: seededRng(11) });
    const period = { from: new Date(BUSY.from), to: new Date(BUSY.to) };
    const sigma = (Math.sqrt(8) * Math.sqrt(2 * Math.log(1.25 / 1e-5))) / 0.5;
    const analystId = randomUUID();
    const squares: number[] = [];
    for (let run = 0; run < 300; run += 1) {
      const funnel = await service.funnel(analystId, period, null, { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-5 });
      expect(funnel.privacy).toMatchObject({
        mechanism: 'GAUSSIAN',
        epsilon: 0.5,
        delta: 1e-5,
        sensitivity: expect.closeTo(Math.sqrt(8), 9),
        scale: expect.closeTo(sigma, 9),
      });
      for (const released of funnel.steps) squares.push((released.events - BUSY_SHOPPERS) ** 2);
    }
    const rms = Math.sqrt(squares.reduce((sum, value) => sum + value, 0) / squares.length);
    expect(rms).toBeGreaterThan(sigma * 0.92);
    expect(rms).toBeLessThan(sigma * 1.08);
  });

  it('bounds each shopper by the contribution cap, so a huge epsilon gives the capped counts', async () => {
    const period = { from: new Date(WEEK.from), to: new Date(WEEK.to) };
    const exactish = { mechanism: 'laplace' as const, epsilon: 1e9 };
    const one = new AnalyticsService(subgraph.dataSource, busyStore(), { maxContributions: 1, maxDelta: 1e-5, rng: seededRng(1) });
    const funnel = await one.funnel(randomUUID(), period, null, exactish);
    // Each shopper adds at most one event per step: 5 viewers, 2 carters, 3 buyers.
    expect(funnel.steps.map((released) => [released.events, released.shoppers, released.reached])).toEqual([
      [5, 5, 5],
      [2, 2, 2],
      [3, 3, 1],
    ]);
    const activity = await one.activityPatterns(randomUUID(), period, null, exactish);
    // One event for each of the six shoppers active in the week.
    expect(activity.byHour.reduce((sum, hour) => sum + hour.events, 0)).toBe(6);
    expect(activity.byWeekday.reduce((sum, day) => sum + day.events, 0)).toBe(6);
    expect(activity.privacy).toMatchObject({ sensitivity: 2 });

    // C = 2: D's third session is left out, and a1 and b1 count as 2 events each.
    const two = new AnalyticsService(subgraph.dataSource, busyStore(), { maxContributions: 2, maxDelta: 1e-5, rng: seededRng(2) });
    const sessions = await two.sessionStatistics(randomUUID(), period, exactish);
    expect(sessions).toMatchObject({
      sessions: 8,
      meanEventsPerSession: 14 / 8,
      medianEventsPerSession: 2,
      // Bucket representatives: 0, 0, 20, 20, 210, 210, 450, 2700.
      meanDurationSeconds: 3610 / 8,
      medianDurationSeconds: 20,
      bounceRate: 0.25,
      sessionsWithPurchase: 4,
      privacy: { sensitivity: 6 },
    });
    const repeat = await two.repeatPurchase(randomUUID(), period, exactish);
    expect(repeat).toMatchObject({ purchasers: 3, repeatPurchasers: 2, repeatRate: 2 / 3, medianDaysBetweenPurchases: 2, privacy: { sensitivity: 4 } });
  });

  it('charges epsilon per release to the calling admin and logs it', async () => {
    const analyst = admin();
    expect(ok(await ask(BUDGET, {}, analyst)).privacyBudget).toEqual({ analystId: analyst.userId, total: 10, spent: 0, remaining: 10 });
    const funnel = ok(await ask(FUNNEL, { ...WEEK, privacy: { epsilon: 1 } }, analyst)).behaviourFunnel!;
    // PRIVACY_MAX_CONTRIBUTIONS = 2: L1 = 3 * 2 + 5.
    expect(funnel.privacy).toEqual({
      mechanism: 'LAPLACE',
      epsilon: 1,
      delta: null,
      scale: 11,
      sensitivity: 11,
      budgetRemaining: 9,
      budgetRemainingDelta: 1e-4,
    });
    const activity = ok(await ask(ACTIVITY, { ...WEEK, privacy: { epsilon: 0.5, mechanism: 'GAUSSIAN', delta: 1e-6 } }, analyst)).activityPatterns!;
    expect(activity.privacy).toMatchObject({
      mechanism: 'GAUSSIAN',
      epsilon: 0.5,
      delta: 1e-6,
      sensitivity: expect.closeTo(2 * Math.SQRT2, 9),
      budgetRemaining: 8.5,
    });
    expect((activity.byHour as unknown[]).length).toBe(24);
    const sessions = ok(await ask(SESSIONS, { ...WEEK, privacy: { epsilon: 2 } }, analyst)).sessionStatistics!;
    expect(sessions.privacy).toMatchObject({ sensitivity: 6, scale: 3, budgetRemaining: 6.5 });
    const repeat = ok(await ask(REPEAT, { ...WEEK, privacy: { epsilon: 0.5 } }, analyst)).repeatPurchase!;
    expect(repeat.privacy).toMatchObject({ sensitivity: 4, scale: 8, budgetRemaining: 6 });

    expect(ok(await ask(BUDGET, {}, analyst)).privacyBudget).toEqual({ analystId: analyst.userId, total: 10, spent: 4, remaining: 6 });
    expect(await ledger(analyst.userId!)).toEqual([
      { query: 'behaviourFunnel', epsilon: 1, delta: null },
      { query: 'activityPatterns', epsilon: 0.5, delta: 1e-6 },
      { query: 'sessionStatistics', epsilon: 2, delta: null },
      { query: 'repeatPurchase', epsilon: 0.5, delta: null },
    ]);
    // Exact figures cost nothing.
    ok(await ask(FUNNEL, WEEK, analyst));
    expect(ok(await ask(BUDGET, {}, analyst)).privacyBudget).toMatchObject({ spent: 4 });
  });

  it('refuses a release the budget cannot pay for, recording nothing', async () => {
    const analyst = admin();
    expect(ok(await ask(REPEAT, { ...WEEK, privacy: { epsilon: 9.5 } }, analyst)).repeatPurchase!.privacy).toMatchObject({ budgetRemaining: 0.5 });
    const refused = await ask(FUNNEL, { ...WEEK, privacy: { epsilon: 1 } }, analyst);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PRIVACY_BUDGET_EXHAUSTED', remaining: 0.5, requested: 1 });
    expect(refused.errors?.[0]?.message).toContain('0.5');
    expect(await ledger(analyst.userId!)).toHaveLength(1);
    expect(ok(await ask(BUDGET, {}, analyst)).privacyBudget).toMatchObject({ spent: 9.5, remaining: 0.5 });
    // What is left can still be spent, to the last bit.
    expect(ok(await ask(SESSIONS, { ...WEEK, privacy: { epsilon: 0.5 } }, analyst)).sessionStatistics!.privacy).toMatchObject({ budgetRemaining: 0 });
    expect(errorCodes(await ask(SESSIONS, { ...WEEK, privacy: { epsilon: 0.01 } }, analyst))).toEqual(['PRIVACY_BUDGET_EXHAUSTED']);
    expect(await ledger(analyst.userId!)).toHaveLength(2);
  });

  it('never overspends under concurrent releases', async () => {
    const analyst = admin();
    const responses = await Promise.all(Array.from({ length: 5 }, () => ask(REPEAT, { ...WEEK, privacy: { epsilon: 3 } }, analyst)));
    const codes = responses.map((response) => errorCodes(response)[0] ?? 'OK').sort();
    expect(codes).toEqual(['OK', 'OK', 'OK', 'PRIVACY_BUDGET_EXHAUSTED', 'PRIVACY_BUDGET_EXHAUSTED']);
    expect(ok(await ask(BUDGET, {}, analyst)).privacyBudget).toMatchObject({ spent: 9, remaining: 1 });
    expect(await ledger(analyst.userId!)).toHaveLength(3);
  });

  it('refuses releases the mechanism cannot make before charging anything', async () => {
    const analyst = admin();
    const refusals: [Record<string, unknown>, string][] = [
      [{ epsilon: 0 }, 'privacy.epsilon'],
      [{ epsilon: -1 }, 'privacy.epsilon'],
      [{ epsilon: 1, delta: 1e-6 }, 'privacy.delta'],
      [{ epsilon: 2, mechanism: 'GAUSSIAN' }, 'privacy.epsilon'],
      [{ epsilon: 0.5, mechanism: 'GAUSSIAN', delta: 1 }, 'privacy.delta'],
    ];
    for (const [privacy, field] of refusals) {
      const response = await ask(FUNNEL, { ...WEEK, privacy }, analyst);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(ok(await ask(BUDGET, {}, analyst)).privacyBudget).toMatchObject({ spent: 0 });
    expect(await ledger(analyst.userId!)).toHaveLength(0);
  });

  it("lets one admin raise another admin's budget, never their own", async () => {
    const granter = admin();
    const analyst = admin();
    expect(ok(await ask(GRANT, { analystId: analyst.userId, epsilon: 5 }, granter)).grantPrivacyBudget).toEqual({
      analystId: analyst.userId,
      total: 15,
      spent: 0,
      remaining: 15,
    });
    ok(await ask(REPEAT, { ...WEEK, privacy: { epsilon: 12 } }, analyst));
    expect(ok(await ask(GRANT, { analystId: analyst.userId, epsilon: 1 }, granter)).grantPrivacyBudget).toMatchObject({ total: 16, spent: 12, remaining: 4 });
    expect(errorCodes(await ask(GRANT, { analystId: granter.userId, epsilon: 1 }, granter))).toEqual(['FORBIDDEN']);
    expect((await ask(GRANT, { analystId: analyst.userId, epsilon: 0 }, granter)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'epsilon',
    });
    expect(ok(await ask(BUDGET, {}, granter)).privacyBudget).toMatchObject({ total: 10 });
  });
});

describe('delta, canonical analyst ids and the platform budget', () => {
  const DELTA_BUDGET =
    'query { privacyBudget { analystId total spent remaining totalDelta spentDelta remainingDelta platform { total totalDelta periodStart periodEnd } } }';
  const GRANT_DELTA =
    'mutation ($analystId: ID!, $epsilon: Float!, $delta: Float) { grantPrivacyBudget(analystId: $analystId, epsilon: $epsilon, delta: $delta) { analystId total totalDelta } }';
  const gaussian = (delta?: number) => ({ ...WEEK, privacy: { epsilon: 0.1, mechanism: 'GAUSSIAN', ...(delta === undefined ? {} : { delta }) } });
  const budgetRows = async (): Promise<number> => Number((await subgraph.dataSource.query('SELECT COUNT(*) AS n FROM privacy_budget'))[0].n);

  it('charges each GAUSSIAN release its delta and refuses one the delta budget cannot pay for, recording nothing', async () => {
    const analyst = admin();
    const start = ok(await ask(DELTA_BUDGET, {}, analyst)).privacyBudget!;
    expect(start).toMatchObject({ totalDelta: 1e-4, spentDelta: 0, remainingDelta: 1e-4, platform: { total: 1000, totalDelta: 1e-3 } });
    // The default delta (1e-6) is charged too.
    expect(ok(await ask(REPEAT, gaussian(), analyst)).repeatPurchase!.privacy).toMatchObject({ delta: 1e-6, budgetRemainingDelta: expect.closeTo(9.9e-5, 12) });
    for (let release = 0; release < 9; release += 1) ok(await ask(REPEAT, gaussian(1e-5), analyst));
    const refused = await ask(REPEAT, gaussian(1e-5), analyst);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'PRIVACY_BUDGET_EXHAUSTED', budget: 'ANALYST', parameter: 'delta', requested: 1e-5 });
    expect(await ledger(analyst.userId!)).toHaveLength(10);
    expect(ok(await ask(DELTA_BUDGET, {}, analyst)).privacyBudget).toMatchObject({ spent: expect.closeTo(1, 9), spentDelta: expect.closeTo(9.1e-5, 12) });
    // What is left still pays for a smaller delta, and a LAPLACE release needs none.
    ok(await ask(REPEAT, gaussian(9e-6), analyst));
    expect(ok(await ask(REPEAT, { ...WEEK, privacy: { epsilon: 1 } }, analyst)).repeatPurchase!.privacy).toMatchObject({ delta: null });
    expect(await ledger(analyst.userId!)).toHaveLength(12);
  });

  it('refuses a delta above PRIVACY_MAX_DELTA before charging anything', async () => {
    const analyst = admin();
    for (const delta of [0.99, 0.5, 1.1e-5]) {
      const response = await ask(FUNNEL, gaussian(delta), analyst);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'privacy.delta', max: 1e-5 });
    }
    expect(await ledger(analyst.userId!)).toEqual([]);
    expect(ok(await ask(DELTA_BUDGET, {}, analyst)).privacyBudget).toMatchObject({ spent: 0, spentDelta: 0 });
    ok(await ask(FUNNEL, gaussian(1e-5), analyst));
  });

  it("keys budgets by the canonical id, so no spelling of an admin's own id grants them budget", async () => {
    const granter = admin();
    const other = admin();
    ok(await ask(BUDGET, {}, granter));
    const rows = await budgetRows();
    for (const spelling of [granter.userId!.toUpperCase(), granter.userId!.replace(/[a-f]/, (letter) => letter.toUpperCase())]) {
      expect(errorCodes(await ask(GRANT, { analystId: spelling, epsilon: 5 }, granter))).toEqual(['FORBIDDEN']);
    }
    expect(await budgetRows()).toBe(rows);
    expect(ok(await ask(BUDGET, {}, granter)).privacyBudget).toMatchObject({ analystId: granter.userId, total: 10 });
    // Another admin's grant reaches the one row, whatever the spelling, and so does a charge.
    expect(ok(await ask(GRANT_DELTA, { analystId: granter.userId!.toUpperCase(), epsilon: 5, delta: 1e-5 }, other)).grantPrivacyBudget).toEqual({
      analystId: granter.userId,
      total: 15,
      totalDelta: 1.1e-4,
    });
    ok(await ask(REPEAT, { ...WEEK, privacy: { epsilon: 2 } }, { ...granter, userId: granter.userId!.toUpperCase() }));
    expect(ok(await ask(BUDGET, {}, granter)).privacyBudget).toMatchObject({ total: 15, spent: 2 });
    expect(await ledger(granter.userId!)).toHaveLength(1);
    const spellings: { analystId: string }[] = await subgraph.dataSource.query(
      'SELECT analyst_id AS analystId FROM privacy_ledger WHERE LOWER(analyst_id) = ? UNION ALL SELECT analyst_id FROM privacy_budget WHERE LOWER(analyst_id) = ?',
      [granter.userId, granter.userId],
    );
    expect(spellings.map((row) => row.analystId)).toEqual([granter.userId, granter.userId]);
    // Nothing that is not a user id keys a row, and the database refuses any other spelling.
    expect((await ask(GRANT, { analystId: 'analyst-1', epsilon: 1 }, other)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'analystId',
    });
    await expect(
      subgraph.dataSource.query(
        'INSERT INTO privacy_budget (analyst_id, total_epsilon, spent_epsilon, total_delta, spent_delta, updated_at) VALUES (?, 10, 0, 0, 0, NOW())',
        [randomUUID().toUpperCase()],
      ),
    ).rejects.toThrow(/chk_privacy_budget_analyst_lowercase/);
    expect(await budgetRows()).toBe(rows + 1);
  });

  describe('the platform budget per period', () => {
    const DAY = 24 * 3600 * 1000;
    // Periods of their own, in 2021: the other tests spend in the current one.
    let clock = new Date('2021-06-10T12:00:00Z');
    const store = (platform: { epsilon: number; delta: number }) =>
      new PrivacyBudgetStore(subgraph.dataSource, { analyst: { epsilon: 10, delta: 1e-4 }, platform, periodDays: 30, now: () => clock });
    const service = (platform: { epsilon: number; delta: number }) =>
      new AnalyticsService(subgraph.dataSource, store(platform), { maxContributions: 2, maxDelta: 1e-5, rng: seededRng(3) });
    const period = { from: new Date(WEEK.from), to: new Date(WEEK.to) };
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: { code?: string; details?: Record<string, unknown> }) => ({ code: error.code, ...error.details }),
      );

    it('refuses, with PRIVACY_BUDGET_EXHAUSTED, a release that fits the analyst but not the platform, and charges neither', async () => {
      const analytics = service({ epsilon: 5, delta: 2e-5 });
      const [a, b] = [randomUUID(), randomUUID()];
      await analytics.repeatPurchase(a, period, { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-5 });
      await analytics.repeatPurchase(a, period, { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-5 });
      expect(await refusal(analytics.repeatPurchase(b, period, { mechanism: 'gaussian', epsilon: 0.5, delta: 1e-6 }))).toMatchObject({
        code: 'PRIVACY_BUDGET_EXHAUSTED',
        budget: 'PLATFORM',
        parameter: 'delta',
      });
      // Not even the row of b's first use is left behind.
      expect(await subgraph.dataSource.query('SELECT 1 FROM privacy_budget WHERE analyst_id = ?', [b])).toEqual([]);
      await analytics.repeatPurchase(a, period, { mechanism: 'laplace', epsilon: 3 });
      expect(await refusal(analytics.repeatPurchase(b, period, { mechanism: 'laplace', epsilon: 3 }))).toMatchObject({
        code: 'PRIVACY_BUDGET_EXHAUSTED',
        budget: 'PLATFORM',
        parameter: 'epsilon',
        remaining: 1,
        requested: 3,
      });
      // The analyst's own charge was rolled back with the refusal.
      expect(await analytics.budget(b)).toMatchObject({ spent: 0, spentDelta: 0, platform: { spent: 4, remaining: 1, spentDelta: 2e-5 } });
      expect(await ledger(b)).toEqual([]);
      await analytics.repeatPurchase(b, period, { mechanism: 'laplace', epsilon: 1 });
      expect(await ledger(b)).toHaveLength(1);

      // The next period brings a fresh total; the analysts' own budgets carry on.
      clock = new Date(clock.getTime() + 30 * DAY);
      const next = await analytics.repeatPurchase(b, period, { mechanism: 'laplace', epsilon: 3 });
      expect(next.privacy).toMatchObject({ budgetRemaining: 6 });
      expect((await analytics.budget(b)).platform).toMatchObject({
        spent: 3,
        remaining: 2,
        periodStart: new Date(Math.floor(clock.getTime() / (30 * DAY)) * 30 * DAY),
      });
    });

    it('never overspends the platform under concurrent releases of several analysts', async () => {
      clock = new Date(clock.getTime() + 30 * DAY);
      const analytics = service({ epsilon: 5, delta: 1e-4 });
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => refusal(analytics.repeatPurchase(randomUUID(), period, { mechanism: 'laplace', epsilon: 2 }))),
      );
      expect(outcomes.map((outcome) => outcome?.code ?? 'OK').sort()).toEqual([
        'OK',
        'OK',
        'PRIVACY_BUDGET_EXHAUSTED',
        'PRIVACY_BUDGET_EXHAUSTED',
        'PRIVACY_BUDGET_EXHAUSTED',
      ]);
      expect((await analytics.budget(randomUUID())).platform).toMatchObject({ spent: 4, remaining: 1 });
    });

    it("counts the releases the ledger already holds for a period when the period's first release opens it", async () => {
      clock = new Date(clock.getTime() + 30 * DAY);
      // As after an upgrade: a release recorded before the period's row existed.
      await subgraph.dataSource.query("INSERT INTO privacy_ledger (analyst_id, query, epsilon, delta, created_at) VALUES (?, 'repeatPurchase', 4, NULL, ?)", [
        randomUUID(),
        clock,
      ]);
      const analytics = service({ epsilon: 5, delta: 1e-4 });
      expect((await analytics.budget(randomUUID())).platform).toMatchObject({ spent: 4, remaining: 1 });
      expect(await refusal(analytics.repeatPurchase(randomUUID(), period, { mechanism: 'laplace', epsilon: 2 }))).toMatchObject({
        budget: 'PLATFORM',
        remaining: 1,
      });
      await analytics.repeatPurchase(randomUUID(), period, { mechanism: 'laplace', epsilon: 1 });
    });
  });
});
