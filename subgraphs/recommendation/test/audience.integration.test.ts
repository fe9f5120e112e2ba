import type { Identity } from '@serendip/federation';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { EventStore, EventType, ShopperPrivacyStore } from '../src';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { SegmentMaintainer } from '../src/segments/segment-maintainer';
import { SegmentStore } from '../src/segments/segment.store';

/**
 * Campaign audiences on real MariaDB: purchases stored as the importer stores them, co-occurrence
 * rebuilt from them, segments refitted, the audience read through the subgraph. The catalogue is
 * pointed at a closed port: brand and text targets need it.
 */
const env = testEnv({ RECOMMENDATION_PORT: '0', REVIEW_QUALITY_WEIGHT: '0', SEGMENT_REFRESH_MS: '0', CATALOGUE_URL: 'http://127.0.0.1:9/graphql' });
const config = loadRecommendationConfig(env);
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let call: ReturnType<typeof subgraphClient>;
const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
const TARGET = '500';
/** Bought 501, which shoppers buy together with the target. */
const related = randomUUID();
/** Bought only products nobody buys with the target. */
const unrelated = randomUUID();
/** Bought the target and 501 but withdrew consent. */
const declining = randomUUID();

beforeAll(async () => {
  await createTestDatabases(config, ['recommendation']);
  subgraph = await startRecommendationSubgraph(config);
  call = subgraphClient(subgraph.url);
  const rows: Parameters<EventStore['insertEvents']>[0] = [];
  const day = Date.now() - 5 * 86_400_000;
  const buy = (userId: string, productIds: string[]) =>
    productIds.forEach((productId, i) =>
      rows.push({
        userId,
        type: EventType.PURCHASE,
        productId,
        categoryId: '1',
        query: null,
        sessionId: `${userId}-s`,
        clientEventId: randomUUID(),
        occurredAt: new Date(day + rows.length * 60_000 + i),
      }),
    );
  // The target goes with 501: ten shoppers bought both.
  for (let i = 0; i < 10; i += 1) buy(randomUUID(), [TARGET, '501']);
  for (let i = 0; i < 10; i += 1) buy(randomUUID(), ['900', '901']);
  buy(related, ['501', '700']);
  buy(unrelated, ['900', '700']);
  buy(declining, [TARGET, '501']);
  const events = new EventStore(subgraph.dataSource);
  await events.insertEvents(rows);
  await events.rebuildItemGraphs();
  await new ShopperPrivacyStore(subgraph.dataSource).setConsent(declining, false, new Date());
  await new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), { everyMs: 3_600_000, windowDays: 90 }).pass();
}, 60_000);

afterAll(async () => {
  await subgraph?.stop();
  await dropTestDatabases(config, ['recommendation']);
});

const AUDIENCE = `query ($productId: ID, $brand: String, $text: String, $limit: Int) {
  audience(productId: $productId, brand: $brand, text: $text, limit: $limit) {
    target size expectedReach
    segments { segment label size inAudience index responseRate expectedResponders }
    shoppers { user { id } score probability }
  }
}`;
type AudienceView = {
  target: string;
  size: number;
  expectedReach: number;
  segments: { segment: number; label: string; size: number; inAudience: number; index: number; responseRate: number; expectedResponders: number }[];
  shoppers: { user: { id: string }; score: number; probability: number }[];
};

describe('audience', () => {
  it('ranks a shopper who bought what goes with the product above one who did not, and leaves out a shopper without consent', async () => {
    const reply = await call<{ audience: AudienceView }>(AUDIENCE, { productId: TARGET, limit: 1000 }, ADMIN);
    expect(reply.errors).toBeUndefined();
    const audience = reply.data!.audience;
    expect(audience.target).toBe('product 500');
    const order = audience.shoppers.map((shopper) => shopper.user.id);
    expect(order.indexOf(related)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(related)).toBeLessThan(order.indexOf(unrelated));
    expect(order).not.toContain(declining);
    // The ten who bought the target already come first.
    expect(audience.shoppers.slice(0, 10).every((shopper) => shopper.score > audience.shoppers[10]!.score)).toBe(true);
    expect(audience.size).toBe(22);
    expect(audience.expectedReach).toBeCloseTo(
      audience.shoppers.reduce((sum, shopper) => sum + shopper.probability, 0),
      6,
    );
    expect(audience.segments.reduce((sum, segment) => sum + segment.size, 0)).toBe(22);
    for (const segment of audience.segments) expect(segment.label).not.toBe('');

    const top = await call<{ audience: AudienceView }>(AUDIENCE, { productId: TARGET, limit: 3 }, ADMIN);
    expect(top.data!.audience.shoppers.map((shopper) => shopper.user.id)).toEqual(order.slice(0, 3));
  });

  it('wants exactly one of productId, brand and text, and a sane limit', async () => {
    expect(errorCodes(await call(AUDIENCE, { productId: TARGET, brand: 'Acme' }, ADMIN))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await call(AUDIENCE, {}, ADMIN))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await call(AUDIENCE, { productId: 'abc' }, ADMIN))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await call(AUDIENCE, { productId: TARGET, limit: 0 }, ADMIN))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await call(AUDIENCE, { brand: '  ' }, ADMIN))).toEqual(['BAD_USER_INPUT']);
  });

  it('says the catalogue is unavailable when a brand or text needs it, and refuses anyone but an admin', async () => {
    expect(errorCodes(await call(AUDIENCE, { text: 'red shoes' }, ADMIN))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(errorCodes(await call(AUDIENCE, { brand: 'Acme' }, ADMIN))).toEqual(['SERVICE_UNAVAILABLE']);
    expect(errorCodes(await call(AUDIENCE, { productId: TARGET }, { userId: related, roles: ['shopper'] }))).toEqual(['FORBIDDEN']);
  });
});
