import type { Identity } from '@serendip/federation';
import { MAX_CONTEXT_SEGMENTS } from '@serendip/recsys';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { EventStore, EventType, ShopperPrivacyStore } from '../src';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { SegmentMaintainer } from '../src/segments/segment-maintainer';
import { SegmentStore } from '../src/segments/segment.store';

/**
 * Segments on real MariaDB: three planted kinds of shoppers written as events, refitted by the
 * maintainer, read back through the subgraph. No catalogue runs: events are stored directly, as
 * the importer stores them.
 */
const env = testEnv({ RECOMMENDATION_PORT: '0', REVIEW_QUALITY_WEIGHT: '0', SEGMENT_REFRESH_MS: '0' });
const config = loadRecommendationConfig(env);
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let call: ReturnType<typeof subgraphClient>;
let maintainer: SegmentMaintainer;
const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
const groups: Record<'nightBuyers' | 'dayBrowsers' | 'searchers', string[]> = { nightBuyers: [], dayBrowsers: [], searchers: [] };
let declining: string;

function at(hour: number, minute: number): Date {
  const date = new Date(Date.now() - 86_400_000);
  date.setUTCHours(hour, minute, 0, 0);
  return date;
}

beforeAll(async () => {
  await createTestDatabases(config, ['recommendation']);
  subgraph = await startRecommendationSubgraph(config);
  call = subgraphClient(subgraph.url);
  maintainer = new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), { everyMs: 3_600_000, windowDays: 90 });
  const rows: Parameters<EventStore['insertEvents']>[0] = [];
  const event = (userId: string, type: EventType, categoryId: string | null, hour: number, index: number) =>
    rows.push({
      userId,
      type,
      productId: type === EventType.SEARCH ? null : String(100 + index),
      categoryId: type === EventType.SEARCH ? null : categoryId,
      query: type === EventType.SEARCH ? 'boots' : null,
      sessionId: `${userId}-${Math.floor(index / 4)}`,
      clientEventId: randomUUID(),
      occurredAt: at(hour, index),
    });
  for (let i = 0; i < 12; i += 1) {
    const night = randomUUID();
    groups.nightBuyers.push(night);
    for (let j = 0; j < 3; j += 1) event(night, EventType.VIEW, '1', 2, j);
    event(night, EventType.PURCHASE, '1', 3, 4);
    event(night, EventType.PURCHASE, '1', 3, 5);
    const day = randomUUID();
    groups.dayBrowsers.push(day);
    for (let j = 0; j < 14; j += 1) event(day, EventType.VIEW, String(2 + (j % 6)), 13, j);
    const searcher = randomUUID();
    groups.searchers.push(searcher);
    for (let j = 0; j < 6; j += 1) event(searcher, EventType.SEARCH, null, 19, j);
    event(searcher, EventType.VIEW, '9', 20, 7);
  }
  declining = randomUUID();
  for (let j = 0; j < 5; j += 1) event(declining, EventType.PURCHASE, '1', 3, j);
  await new EventStore(subgraph.dataSource).insertEvents(rows);
  await new ShopperPrivacyStore(subgraph.dataSource).setConsent(declining, false, new Date());
}, 60_000);

afterAll(async () => {
  await subgraph?.stop();
  await dropTestDatabases(config, ['recommendation']);
});

const SEGMENT = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { segment { segment label summary differences { feature segment others effect } overIndexedProducts { product { id } shoppers share othersShare index } size conversion activeHours topCategories { category { id } share } } } } }`;
type SegmentView = {
  segment: number;
  label: string;
  summary: string;
  differences: { feature: string; segment: number; others: number; effect: number }[];
  overIndexedProducts: { product: { id: string }; shoppers: number; share: number; othersShare: number; index: number }[];
  size: number;
  conversion: number;
  activeHours: number[];
  topCategories: { category: { id: string }; share: number }[];
} | null;
const segmentOf = async (userId: string, identity: Identity = { userId, roles: ['shopper'] }) => {
  const reply = await call<{ _entities: { segment: SegmentView }[] }>(SEGMENT, { reps: [{ __typename: 'User', id: userId }] }, identity);
  return reply;
};

describe('shopper segments', () => {
  it('finds the planted kinds of shoppers, describes them by their own figures, and leaves out a shopper without consent', async () => {
    expect(await maintainer.pass()).toBe(36);
    const segments = new Map<string, number>();
    for (const [name, members] of Object.entries(groups)) {
      const found = new Set<number>();
      for (const userId of members) {
        const reply = await segmentOf(userId);
        expect(reply.errors).toBeUndefined();
        found.add(reply.data!._entities[0]!.segment!.segment);
      }
      expect(found.size).toBe(1);
      segments.set(name, [...found][0]!);
    }
    expect(new Set(segments.values()).size).toBe(3);

    const night = (await segmentOf(groups.nightBuyers[0]!)).data!._entities[0]!.segment!;
    expect(night).toMatchObject({ size: 12, conversion: 1, topCategories: [{ category: { id: '1' }, share: 1 }] });
    expect(night.activeHours.every((hour) => hour === 2 || hour === 3)).toBe(true);
    expect(night.summary).toMatch(/night/);
    const day = (await segmentOf(groups.dayBrowsers[0]!)).data!._entities[0]!.segment!;
    expect(day.conversion).toBe(0);
    expect(day.activeHours).toEqual([13]);
    // Every day browser views products 100-113, every night buyer 100-102, 104 and 105, every searcher 107:
    // 103 and 106-113 are the day browsers' alone, 107 shared with the searchers.
    expect(day.overIndexedProducts.map((product) => product.product.id)).toEqual(['103', '106', '108', '109', '110']);
    expect(day.overIndexedProducts[0]).toEqual({
      product: { id: '103' },
      shoppers: 12,
      share: 1,
      othersShare: 0,
      index: expect.closeTo((100 * (12.5 / 13)) / (0.5 / 25), 6),
    });
    const searchers = (await segmentOf(groups.searchers[0]!)).data!._entities[0]!.segment!;
    expect(searchers.overIndexedProducts.map((product) => [product.product.id, product.share, product.othersShare])).toEqual([['107', 1, 0.5]]);

    expect((await segmentOf(declining)).data!._entities[0]!.segment).toBeNull();
  });

  it('keeps the numbers of the previous fit through a refit', async () => {
    const store = new SegmentStore(subgraph.dataSource);
    const { k } = (await store.load())!.model;
    // As if the previous fit had numbered the segments one further: the refit, which alone would
    // number them as the first pass did, follows the stored numbers instead.
    await subgraph.dataSource.query('UPDATE shopper_segment SET segment = (segment + 1) % ?', [k]);
    const renumbered = await store.assignments();
    expect(await maintainer.pass()).toBe(36);
    expect(await store.assignments()).toEqual(renumbered);
    const night = (await segmentOf(groups.nightBuyers[0]!)).data!._entities[0]!.segment!;
    expect(night.segment).toBe(renumbered.get(groups.nightBuyers[0]!));
    expect(night).toMatchObject({ size: 12, conversion: 1 });
    expect(night.summary).toMatch(/night/);
  });

  it("reads hours of day in the shop's time zone", async () => {
    // 02:00-03:00 UTC is 10:00-11:00 in Shanghai (UTC+8 all year): the night buyers shop in the morning there.
    const shanghai = new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), {
      everyMs: 3_600_000,
      windowDays: 90,
      timeZone: 'Asia/Shanghai',
    });
    expect(await shanghai.pass()).toBe(36);
    const night = (await segmentOf(groups.nightBuyers[0]!)).data!._entities[0]!.segment!;
    expect(night.activeHours.every((hour) => hour === 10 || hour === 11)).toBe(true);
    expect(night.summary).toMatch(/^morning /);
    const day = (await segmentOf(groups.dayBrowsers[0]!)).data!._entities[0]!.segment!;
    expect(day.activeHours).toEqual([21]);
    // Back to UTC for the tests after this one.
    expect(await maintainer.pass()).toBe(36);
    expect((await segmentOf(groups.dayBrowsers[0]!)).data!._entities[0]!.segment!.activeHours).toEqual([13]);
  });

  it("counts spend from the catalogue's prices, and refits without them when it does not answer", async () => {
    const night = groups.nightBuyers[0]!;
    const priced = new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), {
      everyMs: 3_600_000,
      windowDays: 90,
      prices: async (ids) => new Map(ids.map((id) => [id, 50])),
    });
    expect(await priced.pass()).toBe(36);
    // Each night buyer bought two products at 50 (imported purchases carry no value: one unit each); nobody else bought.
    const spender = (await segmentOf(night)).data!._entities[0]!.segment!;
    expect(spender.differences).toContainEqual({ feature: 'log1p spend', segment: 100, others: 0, effect: expect.closeTo(2.12, 2) });

    const unpriced = new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), {
      everyMs: 3_600_000,
      windowDays: 90,
      prices: () => Promise.reject(new Error('catalogue down')),
    });
    expect(await unpriced.pass()).toBe(36);
    const fallback = (await segmentOf(night)).data!._entities[0]!.segment!;
    expect(fallback.differences.map((difference) => difference.feature)).not.toContain('log1p spend');
  });

  it('names the categories in labels; when the catalogue does not answer, shows ids until it does', async () => {
    const night = groups.nightBuyers[0]!;
    const named = new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), {
      everyMs: 3_600_000,
      windowDays: 90,
      categoryNames: async (ids) => new Map(ids.filter((id) => id === '1').map((id) => [id, 'Shoes'])),
    });
    expect(await named.pass()).toBe(36);
    const shoes = (await segmentOf(night)).data!._entities[0]!.segment!;
    expect(shoes.summary).toMatch(/, mostly Shoes$/);
    // All of them buy, in category 1, at night, and nobody else does any of it: four differences of
    // one size (two of three segments at 0), in the features' order.
    expect(shoes.differences.slice(0, 4)).toEqual([
      { feature: 'log1p PURCHASE', segment: 2, others: 0, effect: expect.closeTo(2.12, 2) },
      { feature: 'purchasePerView', segment: expect.closeTo(2 / 3, 6), others: 0, effect: expect.closeTo(2.12, 2) },
      { feature: 'night share', segment: 1, others: 0, effect: expect.closeTo(2.12, 2) },
      { feature: 'category 1 share', segment: 1, others: 0, effect: expect.closeTo(2.12, 2) },
    ]);
    expect(shoes.label).toBe('more purchases (2 vs 0 per shopper), higher purchase rate (67% vs 0%)');

    // The catalogue is down at the first fit (as at start-up, when it comes up last) and answers later.
    let catalogueUp = false;
    const late = new SegmentMaintainer(subgraph.dataSource, new SegmentStore(subgraph.dataSource), {
      everyMs: 3_600_000,
      windowDays: 90,
      categoryNames: async (ids) => {
        if (!catalogueUp) throw new Error('catalogue down');
        return new Map(ids.filter((id) => id === '1').map((id) => [id, 'Boots']));
      },
    });
    expect(await late.pass()).toBe(36);
    const unnamed = (await segmentOf(night)).data!._entities[0]!.segment!;
    expect(unnamed.summary).toMatch(/, mostly category 1$/);
    expect(unnamed.differences.find((difference) => difference.feature === 'category 1 share')).toBeDefined();
    expect(await late.rename()).toBe(false);
    catalogueUp = true;
    expect(await late.rename()).toBe(true);
    const renamed = (await segmentOf(night)).data!._entities[0]!.segment!;
    expect(renamed.summary).toMatch(/, mostly Boots$/);
    expect(renamed.label).toBe('more purchases (2 vs 0 per shopper), higher purchase rate (67% vs 0%)');
    expect(renamed).toMatchObject({ size: 12, conversion: 1 });
  });

  it('shows the segmentation to admins only, and a shopper only their own segment', async () => {
    const query = '{ shopperSegments { shoppers k silhouette stability segments { size label } } }';
    const admin = await call<{
      shopperSegments: { shoppers: number; k: number; silhouette: number; stability: number | null; segments: { size: number; label: string }[] };
    }>(query, {}, ADMIN);
    expect(admin.errors).toBeUndefined();
    expect(admin.data!.shopperSegments).toMatchObject({ shoppers: 36, k: 3 });
    expect(admin.data!.shopperSegments.silhouette).toBeGreaterThan(0.5);
    // Three planted groups come back in every bootstrap refit.
    expect(admin.data!.shopperSegments.stability).toBeGreaterThan(0.95);
    expect(admin.data!.shopperSegments.segments.map((segment) => segment.size)).toEqual([12, 12, 12]);
    expect(new Set(admin.data!.shopperSegments.segments.map((segment) => segment.label)).size).toBe(3);
    expect(errorCodes(await call(query, {}, { userId: randomUUID(), roles: ['shopper'] }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await segmentOf(groups.searchers[0]!, { userId: groups.searchers[1]!, roles: ['shopper'] }))).toEqual(['FORBIDDEN']);
  });

  it("gives the policy the shopper's segment as context: their block of the logged features carries the item features", async () => {
    // A searcher has seen one product only, so products others engaged with are candidates.
    const userId = groups.searchers[2]!;
    const segment = (await segmentOf(userId)).data!._entities[0]!.segment!.segment;
    const slate = await call<{ recommendations: { recommendationId: string; items: unknown[] } }>(
      '{ recommendations(slot: PRODUCT, first: 5) { recommendationId items { rank } } }',
      {},
      { userId, roles: ['shopper'] },
    );
    expect(slate.errors).toBeUndefined();
    expect(slate.data!.recommendations.items.length).toBeGreaterThan(0);
    const rows: { features: string }[] = await subgraph.dataSource.query('SELECT features FROM recommendation_item WHERE slate_id = ?', [
      slate.data!.recommendations.recommendationId,
    ]);
    for (const row of rows) {
      const features = JSON.parse(row.features) as number[];
      const width = features.length / (1 + MAX_CONTEXT_SEGMENTS);
      const block = (index: number) => features.slice(width * (index + 1), width * (index + 2));
      expect(block(segment)).toEqual(features.slice(0, width));
      for (let other = 0; other < MAX_CONTEXT_SEGMENTS; other += 1) if (other !== segment) expect(block(other).every((value) => value === 0)).toBe(true);
    }
  });

  it('drops a shopper from their segment when they withdraw consent or are forgotten', async () => {
    const store = new ShopperPrivacyStore(subgraph.dataSource);
    await store.setConsent(groups.searchers[0]!, false, new Date());
    expect((await segmentOf(groups.searchers[0]!)).data!._entities[0]!.segment).toBeNull();
    await store.forget(groups.searchers[1]!, new Date());
    const rows: unknown[] = await subgraph.dataSource.query('SELECT 1 FROM shopper_segment WHERE user_id IN (?)', [[groups.searchers[0], groups.searchers[1]]]);
    expect(rows).toEqual([]);
  });

  it('serves no segment without consent even when a refit that read the shopper earlier writes their assignment back', async () => {
    const userId = groups.dayBrowsers[0]!;
    const segment = (await segmentOf(userId)).data!._entities[0]!.segment!.segment;
    await new ShopperPrivacyStore(subgraph.dataSource).setConsent(userId, false, new Date());
    // What a refit that began before the withdrawal writes when it commits after it.
    await subgraph.dataSource.query('INSERT INTO shopper_segment (user_id, segment, assigned_at) VALUES (?, ?, ?)', [userId, segment, new Date()]);
    expect((await segmentOf(userId)).data!._entities[0]!.segment).toBeNull();
    const summary = await call<{ _entities: { behaviourSummary: { segment: unknown } }[] }>(
      'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { behaviourSummary { segment { segment } } } } }',
      { reps: [{ __typename: 'User', id: userId }] },
      { userId, roles: ['shopper'] },
    );
    expect(summary.data!._entities[0]!.behaviourSummary.segment).toBeNull();
    // Nor does the policy get it as context: every segment block of the logged features is empty.
    const slate = await call<{ recommendations: { recommendationId: string; personalised: boolean } }>(
      '{ recommendations(slot: PRODUCT, first: 5) { recommendationId personalised } }',
      {},
      { userId, roles: ['shopper'] },
    );
    expect(slate.data!.recommendations.personalised).toBe(false);
    const rows: { features: string }[] = await subgraph.dataSource.query('SELECT features FROM recommendation_item WHERE slate_id = ?', [
      slate.data!.recommendations.recommendationId,
    ]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const features = JSON.parse(row.features) as number[];
      const width = features.length / (1 + MAX_CONTEXT_SEGMENTS);
      expect(features.slice(width).every((value) => value === 0)).toBe(true);
    }
  });
});
