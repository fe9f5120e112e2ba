import { createRedis, pubsub, type RedisClient, type RedisClientOptions } from '@serendip/config';
import { parseRevocationNotice, pingRedis, SessionRevocations, type RevocationNotice } from '@serendip/federation';
import { enqueueEmbedText, enqueueUpdateInterest, openQueue, openQueueEvents, openWorker, QueueName, redisRunId, Topic } from '@serendip/jobs';
import { dropRedisKeys, PubSubProbe, ScratchRedisCluster, ScratchSentinel } from '@serendip/testing';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { RedisRateCounter } from '../gateway/src/rate-limit.plugin';
import { RedisChannels } from '../subgraphs/recommendation/src/live/redis-channels';
import { SlateNotices } from '../subgraphs/recommendation/src/live/slate-notices';
import { RedisInterestAnnouncer } from '../workers/inference/src/interest/interest-announcer';

/**
 * The platform's Redis paths on the topologies `REDIS_URL` can name besides one server: a real
 * three-master Redis Cluster and a master behind a Sentinel, each started by the test from the
 * machine's `redis-server` on free loopback ports (`@serendip/testing`), every connection opened
 * through `createRedis` or the queue helpers as the processes open theirs.
 */
const prefix = `t_${randomBytes(4).toString('hex')}`;
let cluster: ScratchRedisCluster;
const opened: { close(): Promise<unknown> | void }[] = [];
/** Closed after each test, whatever it left open. */
const track = <T extends { close(): Promise<unknown> | void }>(resource: T): T => (opened.push(resource), resource);
const client = (options: RedisClientOptions = {}): RedisClient => {
  const redis = createRedis(cluster.url, options);
  track({ close: () => redis.disconnect() });
  return redis;
};

/** `count` new ids whose `keyOf` (a key or a channel) lies on a different master each. */
async function onDifferentMasters(count: number, keyOf: (id: string) => string): Promise<string[]> {
  const byPort = new Map<number, string>();
  while (byPort.size < count) {
    const id = randomUUID();
    const port = await cluster.portOf(keyOf(id));
    if (!byPort.has(port)) byPort.set(port, id);
  }
  return [...byPort.values()];
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  cluster = await ScratchRedisCluster.start();
}, 30_000);

afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

afterAll(async () => {
  await cluster?.stop();
});

describe('on a Redis Cluster', () => {
  const connection = () => ({ redisUrl: cluster.url, prefix });

  it("queues and works jobs: each queue's keys share its hash tag's slot, the queues spread over the masters", async () => {
    const texts = track(openQueue(QueueName.TextEmbedding, connection()));
    const events = track(openQueueEvents(QueueName.TextEmbedding, connection(), { lastEventId: '0-0' }));
    const worker = track(
      openWorker<{ text: string }, { embedding: number[]; model: string; version: string }>(
        QueueName.TextEmbedding,
        (job) => Promise.resolve({ embedding: [job.data.text.length], model: 'm', version: 'v' }),
        connection(),
      ),
    );
    await Promise.all([events.waitUntilReady(), worker.waitUntilReady()]);

    const job = await enqueueEmbedText(texts, 'wool socks', { modelVersion: 'v' });
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ embedding: [10], model: 'm', version: 'v' });

    expect(texts.keys.wait).toBe(`${prefix}:{text-embedding}:text-embedding:wait`);
    const slots = new Set(await Promise.all(Object.values(texts.keys).flatMap((key) => (key ? [cluster.portOf(key)] : []))));
    expect(slots.size).toBe(1);
    const queues = Object.values(QueueName).map((name) => track(openQueue(name, connection())));
    const masters = new Set(await Promise.all(queues.map((queue) => cluster.portOf(queue.qualifiedName))));
    expect(masters.size).toBeGreaterThan(1);

    // Deduplication and delays (interest updates) live under the queue's tag too.
    const interests = track(openQueue(QueueName.InterestUpdate, connection()));
    const shopper = randomUUID();
    const first = await enqueueUpdateInterest(interests, shopper, { debounceMs: 60_000 });
    const second = await enqueueUpdateInterest(interests, shopper, { debounceMs: 60_000 });
    expect(second.id).toBe(first.id);
    expect(await interests.getJobCounts('delayed')).toEqual({ delayed: 1 });

    // Readiness and the outbox's restart check read the cluster through a queue's client.
    await expect(pingRedis(() => texts.client)()).resolves.toBeUndefined();
    const run = await redisRunId(texts.client);
    expect(run).toMatch(/^[0-9a-f]{40}$/);
    expect(await redisRunId(interests.client)).toBe(run);
  });

  it('refuses a queue whose keys carry no hash tag: its scripts would span slots', async () => {
    const redis = client({ lazyConnect: true }) as Cluster;
    const queue = track(new Queue('untagged', { connection: redis, prefix }));
    await expect(queue.add('job', {})).rejects.toThrow(/CROSSSLOT/);
  });

  it('carries live-slate notices from the subgraph and the worker to a subscriber by sharded pub/sub, channels on different masters', async () => {
    const subscriber = client({ lazyConnect: true, subscriber: true });
    await subscriber.connect();
    const channels = new RedisChannels(subscriber);
    const probe = track(new PubSubProbe(cluster.url));
    const notices = new SlateNotices(client(), prefix);
    const announcer = track(new RedisInterestAnnouncer(cluster.url, prefix));
    const shoppers = await onDifferentMasters(2, (shopper) => Topic.recommendationsUpdated(shopper, prefix));
    const heard: string[] = [];
    const leave = await Promise.all(shoppers.map((shopper) => channels.listen(Topic.recommendationsUpdated(shopper, prefix), () => heard.push(shopper))));
    // SHARDNUMSUB over the masters: the subscriptions are sharded ones, on their channels' shards.
    for (const shopper of shoppers) await probe.untilSubscribers(Topic.recommendationsUpdated(shopper, prefix), 1);

    await notices.announce(shoppers[0]!);
    await announcer.announce(shoppers[1]!, new Date());
    await until(() => heard.length === 2, 'both notices were not heard');
    expect(heard.sort()).toEqual([...shoppers].sort());

    for (const go of leave) go();
    for (const shopper of shoppers) await probe.untilSubscribers(Topic.recommendationsUpdated(shopper, prefix), 0);
  });

  it("counts the gateway's rate limits, each client's counter on its own slot", async () => {
    const redis = client({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await redis.connect();
    const problems: string[] = [];
    const counter = new RedisRateCounter(redis, prefix, 'a key secret of some length', (message) => problems.push(message));
    const now = Date.now();
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
      expect(await counter.hit(`address:${address}`, 2, 60, now)).toBeNull();
      expect(await counter.hit(`address:${address}`, 2, 60, now)).toBeNull();
      expect(await counter.hit(`address:${address}`, 2, 60, now)).toMatchObject({ limit: 'address' });
    }
    // A failing count lets requests through and says so: none did.
    expect(problems).toEqual([]);
  });

  it('ends sessions and token versions for every gateway, and announces them by sharded pub/sub', async () => {
    const writer = client({ lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await writer.connect();
    const revocations = new SessionRevocations(writer, prefix);
    const listener = client({ lazyConnect: true, subscriber: true });
    await listener.connect();
    const notices: RevocationNotice[] = [];
    pubsub.onMessage(listener, (channel, message) => {
      const notice = parseRevocationNotice(message);
      if (channel === revocations.channel && notice) notices.push(notice);
    });
    await pubsub.subscribe(listener, revocations.channel);

    // Users whose version keys lie on different masters, so one check reads across slots.
    const [signedOut, everywhere, untouched] = await onDifferentMasters(3, (userId) => `${prefix}:auth:user:${userId}`);
    const session = randomUUID();
    await revocations.endSession(signedOut!, session, 60);
    await revocations.setVersion(everywhere!, 3);
    const tokens = [
      { userId: signedOut!, sessionId: session, version: 0 },
      { userId: signedOut!, sessionId: randomUUID(), version: 0 },
      { userId: everywhere!, sessionId: randomUUID(), version: 2 },
      { userId: everywhere!, sessionId: randomUUID(), version: 3 },
      { userId: untouched!, sessionId: randomUUID(), version: 0 },
    ];
    expect(await revocations.revokedAmong(tokens)).toEqual([true, false, true, false, false]);
    await until(() => notices.length === 2, 'both revocation notices were not heard');
    expect(notices).toEqual([{ userId: signedOut, sessionId: session }, { userId: everywhere }]);
  });

  it("drops a test's keys from every master", async () => {
    const redis = client() as Cluster;
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => redis.set(`${prefix}:${name}`, '1')));
    await dropRedisKeys(cluster.url, prefix);
    const left = await Promise.all(redis.nodes('master').map((node) => node.keys(`${prefix}:*`)));
    expect(left.flat()).toEqual([]);
  });
});

describe('through Sentinel', () => {
  let sentinel: ScratchSentinel;

  beforeAll(async () => {
    sentinel = await ScratchSentinel.start('shop');
  }, 20_000);

  afterAll(async () => {
    await sentinel?.stop();
  });

  it('reaches the master the Sentinel names, for commands and for queues', async () => {
    const redis = createRedis(sentinel.url);
    const master = new Redis(sentinel.masterUrl);
    track({ close: () => (redis.disconnect(), master.disconnect()) });
    await redis.set(`${prefix}:written`, 'through the Sentinel');
    expect(await master.get(`${prefix}:written`)).toBe('through the Sentinel');

    const connection = { redisUrl: sentinel.url, prefix };
    const texts = track(openQueue(QueueName.TextEmbedding, connection));
    const events = track(openQueueEvents(QueueName.TextEmbedding, connection, { lastEventId: '0-0' }));
    track(
      openWorker<{ text: string }, { embedding: number[] }>(
        QueueName.TextEmbedding,
        (job) => Promise.resolve({ embedding: [job.data.text.length] }),
        connection,
      ),
    );
    const job = await enqueueEmbedText(texts, 'linen', { modelVersion: 'v' });
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ embedding: [5] });
    // One server's key names, as before Sentinel: no hash tag.
    expect(texts.keys.wait).toBe(`${prefix}:text-embedding:wait`);
    expect(await master.exists(`${prefix}:text-embedding:id`)).toBe(1);
  });
});
