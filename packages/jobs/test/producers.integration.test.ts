import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import {
  enqueueAnalyseReview,
  enqueueEmbedProducts,
  enqueueEmbedText,
  enqueueUpdateInterest,
  JobPayloadError,
  jobIds,
  openQueue,
  openQueueEvents,
  QueueName,
  MAX_PRODUCTS_PER_JOB,
  type JobQueue,
} from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Producers against the real Redis, each test under a key prefix of its own. */
describe('producers (Redis)', () => {
  const opened: JobQueue<never>[] = [];
  let prefix: string;

  const open = <Q extends QueueName>(name: Q) => {
    const queue = openQueue(name, { redisUrl: REDIS_URL, prefix });
    opened.push(queue as unknown as JobQueue<never>);
    return queue;
  };

  beforeEach(() => {
    prefix = `t_${randomBytes(5).toString('hex')}`;
  });

  afterEach(async () => {
    for (const queue of opened.splice(0)) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('fans products out with deterministic ids: unchanged products add nothing, edited ones and a new model do', async () => {
    const queue = open(QueueName.ProductEmbedding);
    const products = [
      { productId: '1', text: 'Red running shoes' },
      { productId: '2', text: '红色跑鞋' },
    ];
    const jobs = await enqueueEmbedProducts(queue, products, { modelVersion: '1.0.0', productsPerJob: 1 });
    expect(jobs.map((job) => job.id)).toEqual([jobIds.embedProducts([products[0]!], '1.0.0'), jobIds.embedProducts([products[1]!], '1.0.0')]);
    expect(jobs[0]!.id).toMatch(/^embed-products\/1\.0\.0\/1\/[0-9a-f]{32}$/);
    expect(jobs[0]!.opts).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnFail: { age: 604800 } });

    await enqueueEmbedProducts(queue, products, { modelVersion: '1.0.0', productsPerJob: 1 });
    expect(await queue.getWaitingCount()).toBe(2);

    await enqueueEmbedProducts(queue, [{ productId: '1', text: 'Red trail running shoes' }], { modelVersion: '1.0.0' });
    await enqueueEmbedProducts(queue, products, { modelVersion: '1.1.0', productsPerJob: 1 });
    expect(await queue.getWaitingCount()).toBe(5);
  });

  it('chunks a bulk fan-out into jobs of productsPerJob, each product once with its last text', async () => {
    const queue = open(QueueName.ProductEmbedding);
    const products = Array.from({ length: 70 }, (_, index) => ({ productId: String(index + 1), text: `product ${index + 1}` }));
    const jobs = await enqueueEmbedProducts(queue, [...products, { productId: '3', text: 'product 3, renamed' }], { modelVersion: '1.0.0' });
    expect(jobs.map((job) => job.data.products.length)).toEqual([32, 32, 6]);
    expect(jobs.flatMap((job) => job.data.products)).toHaveLength(70);
    expect(jobs[0]!.data.products[2]).toEqual({ productId: '3', text: 'product 3, renamed' });
    await expect(enqueueEmbedProducts(queue, products, { modelVersion: '1.0.0', productsPerJob: MAX_PRODUCTS_PER_JOB + 1 })).rejects.toThrow(RangeError);
  });

  it('enqueues nothing when one payload of a fan-out is bad, and names it', async () => {
    const queue = open(QueueName.ProductEmbedding);
    const attempt = enqueueEmbedProducts(
      queue,
      [
        { productId: '1', text: 'fine' },
        { productId: 'x', text: '' },
      ],
      { modelVersion: '1.0.0' },
    );
    await expect(attempt).rejects.toThrow(JobPayloadError);
    await expect(attempt).rejects.toThrow(
      'invalid embed-products payload: products[1].productId: must be a positive integer id as a string; products[1].text: must not be blank',
    );
    expect(await queue.getWaitingCount()).toBe(0);
  });

  it('shares one job between identical search texts', async () => {
    const queue = open(QueueName.TextEmbedding);
    const [first, second] = await Promise.all([
      enqueueEmbedText(queue, 'running shoes', { modelVersion: '1.0.0' }),
      enqueueEmbedText(queue, 'running shoes', { modelVersion: '1.0.0' }),
    ]);
    expect(first.id).toBe(jobIds.embedText('running shoes', '1.0.0'));
    expect(second.id).toBe(first.id);
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it('queues reviews in bulk, once per review text', async () => {
    const queue = open(QueueName.ReviewAnalysis);
    const reviews = [
      { reviewId: '10', text: 'Lovely fabric.' },
      { reviewId: '11', text: '质量很差' },
      { reviewId: '12', text: 'Runs small.' },
    ];
    await enqueueAnalyseReview(queue, reviews);
    await enqueueAnalyseReview(queue, reviews.slice(0, 1));
    expect(await queue.getWaitingCount()).toBe(3);
  });

  it('debounces interest updates per user', async () => {
    const queue = open(QueueName.InterestUpdate);
    const alice = '0b7c9f2e-3f1d-4c55-9a0e-2d6f1b8e4a10';
    const bob = '6a1d1c3e-8b8f-4b0e-9a55-0f3e2c1d4b77';
    for (let i = 0; i < 3; i += 1) await enqueueUpdateInterest(queue, alice, { debounceMs: 10_000 });
    await enqueueUpdateInterest(queue, bob, { debounceMs: 10_000 });
    const delayed = await queue.getDelayed();
    expect(delayed.map((job) => job.data.userId).sort()).toEqual([alice, bob].sort());
    await expect(enqueueUpdateInterest(queue, 'not-a-uuid')).rejects.toThrow('invalid update-interest payload: userId: must be a UUID');
  });

  it("lets a producer wait for a job's result through the queue events", async () => {
    const queue = open(QueueName.TextEmbedding);
    const events = openQueueEvents(QueueName.TextEmbedding, { redisUrl: REDIS_URL, prefix });
    const worker = new Worker(QueueName.TextEmbedding, async (job) => ({ embedding: [job.data.text.length], model: 'm', version: 'v' }), {
      connection: { url: REDIS_URL },
      prefix,
    });
    try {
      await events.waitUntilReady();
      const job = await enqueueEmbedText(queue, 'wool socks', { modelVersion: 'v' });
      await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ embedding: [10], model: 'm', version: 'v' });
    } finally {
      await worker.close();
      await events.close();
    }
  });

  it('refuses a queue that does not carry the job', async () => {
    const wrong = open(QueueName.TextEmbedding) as unknown as Parameters<typeof enqueueEmbedProducts>[0];
    await expect(enqueueEmbedProducts(wrong, [{ productId: '1', text: 'x' }], { modelVersion: '1.0.0' })).rejects.toThrow(
      'embed-products jobs belong on the product-embedding queue, not text-embedding',
    );
  });
});
