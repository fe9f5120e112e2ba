import type { Identity } from '@serendip/federation';
import { openQueue, QueueName } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, OutageRelay, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startCatalogueSubgraph } from '../../catalogue/src/app';
import { loadCatalogueConfig } from '../../catalogue/src/config';
import { adminWriter } from '../../catalogue/test/support';
import { BanditState } from '../src/bandit/bandit.state';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';
import { LINUCB_PRIOR } from '../src/slate/candidate-sources';
import { RecommendationSlot } from '../src/slate/slot';

/**
 * Faults lose nothing: a bandit flush the database refuses keeps its updates for the next, and
 * trackEvents answers while Redis is unreachable (here: the relay in front of the shared Redis is
 * cut, never the server itself), its interest update queued by the sweep once Redis is back.
 */
const base = testEnv({ CATALOGUE_PORT: '0', RECOMMENDATION_PORT: '0', REVIEW_QUALITY_WEIGHT: '0', ENQUEUE_TIMEOUT_MS: '300', OUTBOX_SWEEP_MS: '300' });
const catalogueConfig = loadCatalogueConfig(base);
let relay: OutageRelay;
let catalogue: Awaited<ReturnType<typeof startCatalogueSubgraph>>;
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let product: string;

const shopper = (userId: string): Identity => ({ userId, roles: ['shopper'] });
const interestQueue = () => openQueue(QueueName.InterestUpdate, { redisUrl: catalogueConfig.REDIS_URL, prefix: catalogueConfig.QUEUE_PREFIX });

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 20_000): Promise<T> {
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
  relay = await OutageRelay.start(catalogueConfig.REDIS_URL);
  catalogue = await startCatalogueSubgraph(catalogueConfig);
  const admin = adminWriter(subgraphClient(catalogue.url));
  const category = await admin.category('Garden');
  product = (await admin.product({ sku: 'G-1', title: 'Garden hose', categoryId: category.id, price: 20 })).id;
  subgraph = await startRecommendationSubgraph(loadRecommendationConfig({ ...base, CATALOGUE_URL: catalogue.url, REDIS_URL: relay.url }));
}, 60_000);

afterAll(async () => {
  await relay?.restore();
  await subgraph?.stop();
  await catalogue?.stop();
  await relay?.stop();
  await dropTestDatabases(catalogueConfig, ['catalogue', 'recommendation']);
});

describe('bandit statistics', () => {
  const rename = (from: string, to: string) => subgraph.dataSource.query(`RENAME TABLE ${from} TO ${to}`);
  const arm = async (productId: string) =>
    (
      await subgraph.dataSource.query<{ impressions: number; clicks: number }[]>('SELECT impressions, clicks FROM arm_stat WHERE slot = ? AND product_id = ?', [
        RecommendationSlot.PRODUCT,
        productId,
      ])
    )[0];
  const storedB = async () => {
    const [row] = await subgraph.dataSource.query<{ b: Buffer }[]>('SELECT b FROM linucb_state WHERE slot = ?', [RecommendationSlot.PRODUCT]);
    return Array.from(new Float64Array(row!.b.buffer.slice(row!.b.byteOffset, row!.b.byteOffset + row!.b.byteLength)));
  };

  it('a flush the database refuses keeps its updates, and the next flush writes them with those counted since', async () => {
    // A state of its own beside the subgraph's, on the same tables, flushed only when the test says.
    const bandit = new BanditState(subgraph.dataSource, LINUCB_PRIOR, 3_600_000);
    await bandit.start();
    const features = LINUCB_PRIOR.map((_, index) => (index % 3) + 1);
    const productIds = ['900001', '900002'];
    const bBefore = await storedB();

    bandit.served(
      RecommendationSlot.PRODUCT,
      productIds.map((productId) => ({ productId, features })),
    );
    bandit.rewarded(RecommendationSlot.PRODUCT, '900001', features, 'click');
    await rename('arm_stat', 'arm_stat_away');
    await rename('linucb_state', 'linucb_state_away');
    try {
      await expect(bandit.flush()).rejects.toThrow();
      // Counted while the database was refusing them.
      bandit.served(RecommendationSlot.PRODUCT, [{ productId: '900001', features }]);
      await expect(bandit.flush()).rejects.toThrow();
    } finally {
      await rename('arm_stat_away', 'arm_stat');
      await rename('linucb_state_away', 'linucb_state');
    }
    expect(await arm('900001')).toBeUndefined();

    await bandit.flush();
    expect(await arm('900001')).toEqual({ impressions: 2, clicks: 1 });
    expect(await arm('900002')).toEqual({ impressions: 1, clicks: 0 });
    expect(await storedB()).toEqual(bBefore.map((value, index) => value + features[index]!));
    // Written once: a further flush adds nothing.
    await bandit.flush();
    expect(await arm('900001')).toEqual({ impressions: 2, clicks: 1 });

    // Shutdown with the table gone: it logs what it could not save and does not fail.
    bandit.served(RecommendationSlot.PRODUCT, [{ productId: '900002', features }]);
    await rename('arm_stat', 'arm_stat_away');
    try {
      await expect(bandit.stop()).resolves.toBeUndefined();
    } finally {
      await rename('arm_stat_away', 'arm_stat');
    }
    expect(await arm('900002')).toEqual({ impressions: 1, clicks: 0 });
  });

  it("two instances read each other's counts one flush late, and their counts add up", async () => {
    const [one, two] = [new BanditState(subgraph.dataSource, LINUCB_PRIOR, 3_600_000), new BanditState(subgraph.dataSource, LINUCB_PRIOR, 3_600_000)];
    await Promise.all([one.start(), two.start()]);
    const features = LINUCB_PRIOR.map(() => 1);
    const slot = RecommendationSlot.HOME;
    const productIds = ['910001', '910002'];
    const impressions = async (bandit: BanditState) => [...(await bandit.armStats(slot, productIds)).values()].map((stats) => stats.impressions);
    try {
      expect(await impressions(two)).toEqual([0, 0]);
      one.served(slot, [{ productId: '910001', features }]);
      one.served(slot, [{ productId: '910001', features }]);
      two.served(slot, [{ productId: '910002', features }]);
      // Each sees its own pending impressions at once.
      expect(await impressions(one)).toEqual([2, 0]);
      expect(await impressions(two)).toEqual([0, 1]);
      await one.flush();
      // `two` keeps what it read until its own flush.
      expect(await impressions(two)).toEqual([0, 1]);
      await two.flush();
      expect(await impressions(two)).toEqual([2, 1]);
      await one.flush();
      expect(await impressions(one)).toEqual([2, 1]);
      const stored = await subgraph.dataSource.query<{ impressions: number }[]>(
        'SELECT impressions FROM arm_stat WHERE slot = ? AND product_id IN (?) ORDER BY product_id',
        [slot, productIds],
      );
      expect(stored.map((row) => row.impressions)).toEqual([2, 1]);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('never reports more clicks than impressions while the impression is still in another instance', async () => {
    const [server, clicked] = [new BanditState(subgraph.dataSource, LINUCB_PRIOR, 3_600_000), new BanditState(subgraph.dataSource, LINUCB_PRIOR, 3_600_000)];
    await Promise.all([server.start(), clicked.start()]);
    const features = LINUCB_PRIOR.map(() => 1);
    const slot = RecommendationSlot.HOME;
    const productId = '920001';
    const stats = async (bandit: BanditState) => (await bandit.armStats(slot, [productId])).get(productId);
    try {
      // One instance serves the slate; the click reaches the other, which flushes first.
      server.served(slot, [{ productId, features }]);
      clicked.rewarded(slot, productId, features, 'click');
      expect(await stats(clicked)).toEqual({ impressions: 0, clicks: 0 });
      await clicked.flush();
      const [row] = await subgraph.dataSource.query<{ impressions: number; clicks: number }[]>(
        'SELECT impressions, clicks FROM arm_stat WHERE slot = ? AND product_id = ?',
        [slot, productId],
      );
      expect(row).toEqual({ impressions: 0, clicks: 1 });
      expect(await stats(clicked)).toEqual({ impressions: 0, clicks: 0 });
      await server.flush();
      await clicked.flush();
      expect(await stats(clicked)).toEqual({ impressions: 1, clicks: 1 });
    } finally {
      await Promise.all([server.stop(), clicked.stop()]);
    }
  });
});

describe('trackEvents while Redis is unreachable', () => {
  it('answers, keeps the interest update in its outbox, and the sweep queues it once Redis is back', async () => {
    const userId = randomUUID();
    const call = subgraphClient(subgraph.url);
    const queue = interestQueue();
    const queuedFor = async () => {
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused']);
      return jobs.filter((job) => job?.data.userId === userId).length;
    };
    // Requests not queued yet (a queued one is kept, marked with the Redis run that took it).
    const outbox = async () =>
      (
        await subgraph.dataSource.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM interest_update_request WHERE user_id = ? AND queued_run IS NULL', [userId])
      )[0]!.n;
    try {
      await relay.cut();
      const tracked = await call<{ trackEvents: { accepted: number } }>(
        'mutation ($events: [TrackEventInput!]!) { trackEvents(events: $events) { accepted } }',
        { events: [{ type: 'VIEW', productId: product, sessionId: 's', clientEventId: randomUUID() }] },
        shopper(userId),
      );
      expect(tracked.errors).toBeUndefined();
      expect(tracked.data!.trackEvents.accepted).toBe(1);
      const read = await call<{ _entities: { recentEvents: { product: { id: string } | null }[] }[] }>(
        'query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { recentEvents { product { id } } } } }',
        { reps: [{ __typename: 'User', id: userId }] },
        shopper(userId),
      );
      expect(read.data!._entities[0]!.recentEvents).toEqual([{ product: { id: product } }]);
      expect(await outbox()).toBe('1');
      expect(await queuedFor()).toBe(0);

      await relay.restore();
      await until('the swept interest update', async () => ((await queuedFor()) === 1 && (await outbox()) === '0' ? true : undefined));
    } finally {
      await relay.restore();
      await queue.close();
    }
  }, 40_000);
});
