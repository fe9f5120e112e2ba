import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeVector, enqueueEmbedProducts, enqueueEmbedText, JobName, listFailedJobs, QueueName, textHash, type ProductText } from '@serendip/jobs';
import { loadWorkerConfig, startWorker, type ProductVector, type RunningWorker, type StoreNeeds } from '../src';
import { fakeEmbedding, fakeVector } from './fixtures/fake-handlers';
import { FAKE_HANDLERS, readBatches, REDIS_URL, testQueues, uniquePrefix, waitForCount } from './queue-helpers';

/**
 * The queue mechanics of one worker process, run in this process against the real Redis, with
 * the real inference thread running handlers that need no model (fixtures/fake-handlers.ts).
 */
describe('worker (Redis, fake handlers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'serendip-worker-'));
  let logFile: string;
  let prefix: string;
  let queues: ReturnType<typeof testQueues>;
  let worker: RunningWorker | null = null;

  const start = async (env: Record<string, string | undefined> = {}) => {
    worker = await startWorker(
      loadWorkerConfig({
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        LOG_LEVEL: 'error',
        WORKER_QUEUES: `${QueueName.ProductEmbedding},${QueueName.TextEmbedding}`,
        WORKER_HANDLER_MODULE: FAKE_HANDLERS,
        ...env,
      }),
    );
    return worker;
  };

  /** What a worker that does not store vectors returns for a job of these products. */
  const expectedResult = (items: readonly ProductText[]) => ({
    model: 'fake-embedder',
    version: '0.0.0',
    productIds: items.map((item) => item.productId),
    embeddings: items.map((item) => encodeVector(fakeVector(item.text))),
  });

  const products = (count: number, from = 1) =>
    Array.from({ length: count }, (_, index) => ({ productId: String(from + index), text: `product ${from + index} 商品` }));

  beforeEach(() => {
    prefix = uniquePrefix();
    queues = testQueues(prefix);
    queues.open(QueueName.ProductEmbedding);
    queues.open(QueueName.TextEmbedding);
    logFile = join(dir, `${prefix}.jsonl`);
    // The inference thread copies this process's environment when it starts.
    process.env.FAKE_HANDLER_LOG = logFile;
  });

  afterEach(async () => {
    await worker?.stop();
    worker = null;
    await queues.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('processes a fan-out of jobs exactly once, each with its own result', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    await start({ WORKER_BATCH_MAX: '16', WORKER_BATCH_WAIT_MS: '10' });
    const items = products(120);
    await enqueueEmbedProducts(queue, items, { modelVersion: '0.0.0', productsPerJob: 1 });
    await waitForCount(queue, 'completed', 120);

    const jobs = await queue.getCompleted(0, -1);
    expect(jobs).toHaveLength(120);
    for (const job of jobs) expect(job.returnvalue).toEqual(expectedResult(job.data.products));
    const ends = readBatches(logFile).filter((batch) => batch.phase === 'end');
    const handled = ends.flatMap((batch) => batch.keys);
    expect(handled).toHaveLength(120);
    expect(new Set(handled)).toEqual(new Set(items.map((item) => item.productId)));
    expect(await queue.getFailedCount()).toBe(0);

    // Deterministic job ids: the same products enqueued again add nothing and run nothing.
    await enqueueEmbedProducts(queue, items, { modelVersion: '0.0.0', productsPerJob: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queue.getJobCounts('completed', 'waiting', 'active')).toMatchObject({ completed: 120, waiting: 0, active: 0 });
    expect(readBatches(logFile).filter((batch) => batch.phase === 'end')).toHaveLength(ends.length);
  });

  it('answers a job of many products in order, its products sharing inference calls with other jobs', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    const items = products(100);
    const jobs = await enqueueEmbedProducts(queue, items, { modelVersion: '0.0.0', productsPerJob: 32 });
    expect(jobs.map((job) => job.data.products.length)).toEqual([32, 32, 32, 4]);
    await start({ WORKER_BATCH_MAX: '24', WORKER_BATCH_WAIT_MS: '50' });
    await waitForCount(queue, 'completed', 4);

    for (const job of await queue.getCompleted(0, -1)) expect(job.returnvalue).toEqual(expectedResult(job.data.products));
    const ends = readBatches(logFile).filter((batch) => batch.phase === 'end');
    expect(ends.flatMap((batch) => batch.keys).sort()).toEqual(items.map((item) => item.productId).sort());
    expect(Math.max(...ends.map((batch) => batch.size))).toBe(24);
    // 24 is not a multiple of 32: some inference call must hold products of two jobs.
    const jobOf = (productId: string) => jobs.findIndex((job) => job.data.products.some((product) => product.productId === productId));
    expect(ends.some((batch) => new Set(batch.keys.map(jobOf)).size > 1)).toBe(true);
  });

  it('stores vectors through the ProductVectorSink it is given, stamped with their text hash, rows of concurrent jobs in one write', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    const writes: ProductVector[][] = [];
    let asked: StoreNeeds | undefined;
    let closed = false;
    worker = await startWorker(
      loadWorkerConfig({
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'error',
        WORKER_QUEUES: QueueName.ProductEmbedding,
        WORKER_HANDLER_MODULE: FAKE_HANDLERS,
        WORKER_BATCH_WAIT_MS: '100',
      }),
      {
        openStores: async (_config, needs) => {
          asked = needs;
          const productVectors = { store: async (vectors: readonly ProductVector[]) => void writes.push([...vectors]), close: async () => undefined };
          return { productVectors, reviewAnalyses: null, interests: null, sequenceModels: null, products: null, close: async () => void (closed = true) };
        },
      },
    );
    expect(asked).toEqual({ productVectors: true, reviewAnalyses: false, interests: false, sequenceModels: false, productFeatures: false });
    const items = products(6);
    await enqueueEmbedProducts(queue, items, { modelVersion: '0.0.0', productsPerJob: 2 });
    await waitForCount(queue, 'completed', 3);

    // Stored vectors are not repeated in the job result.
    for (const job of await queue.getCompleted(0, -1)) expect(job.returnvalue).toEqual({ ...expectedResult(job.data.products), embeddings: undefined });
    const stored = writes.flat();
    expect(stored.map((vector) => vector.productId).sort()).toEqual(items.map((item) => item.productId).sort());
    for (const item of items) {
      const vector = stored.find((row) => row.productId === item.productId)!;
      expect(vector).toMatchObject({ model: 'fake-embedder', version: '0.0.0', textHash: textHash(item.text) });
      expect(Array.from(vector.vector)).toEqual(Array.from(fakeVector(item.text)));
    }
    expect(writes.length).toBeLessThan(3);
    await worker.stop();
    worker = null;
    expect(closed).toBe(true);
  });

  it('gathers concurrent jobs into batches of at most WORKER_BATCH_MAX', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    await enqueueEmbedProducts(queue, products(40), { modelVersion: '0.0.0', productsPerJob: 1 });
    await start({ WORKER_BATCH_MAX: '8', WORKER_BATCH_WAIT_MS: '200', WORKER_CONCURRENCY: '1' });
    await waitForCount(queue, 'completed', 40);
    const sizes = readBatches(logFile)
      .filter((batch) => batch.phase === 'end')
      .map((batch) => batch.size);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(40);
    expect(Math.max(...sizes)).toBe(8);
    // 40 one-job calls would be no batching at all; five full batches is the ideal.
    expect(sizes.length).toBeLessThanOrEqual(7);
  });

  it('lets jobs that arrive within WORKER_BATCH_WAIT_MS of each other share one inference call', async () => {
    const queue = queues.open(QueueName.TextEmbedding);
    await start({ WORKER_BATCH_MAX: '32', WORKER_BATCH_WAIT_MS: '300' });
    const texts = ['red shoes', '红色的鞋', 'running shoes'];
    const jobs = await Promise.all(texts.map((text) => enqueueEmbedText(queue, text, { modelVersion: '0.0.0' })));
    await waitForCount(queue, 'completed', 3);
    const batches = readBatches(logFile).filter((batch) => batch.phase === 'end');
    expect(batches).toHaveLength(1);
    expect(batches[0]!.keys.sort()).toEqual([...texts].sort());
    for (const job of jobs) expect((await queue.getJob(job.id!))!.returnvalue).toEqual(fakeEmbedding(job.data.text));
  });

  it('retries a job that keeps failing with backoff, then keeps it as failed and lists it; its batch-mates succeed', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    await start({ WORKER_BATCH_MAX: '8', WORKER_BATCH_WAIT_MS: '50' });
    const [failing] = await enqueueEmbedProducts(queue, [{ productId: '999', text: 'fail: the model chokes on this one' }], {
      modelVersion: '0.0.0',
      jobOptions: { attempts: 3, backoff: { type: 'exponential', delay: 100 } },
    });
    await enqueueEmbedProducts(queue, products(5), { modelVersion: '0.0.0', productsPerJob: 1 });
    await waitForCount(queue, 'failed', 1);
    await waitForCount(queue, 'completed', 5);

    const failed = (await queue.getJob(failing!.id!))!;
    expect(failed.attemptsMade).toBe(3);
    expect(failed.failedReason).toBe('fake transient failure');
    // Exponential backoff: 100 ms before the second attempt, 200 ms before the third.
    expect(failed.processedOn! - failed.timestamp).toBeGreaterThanOrEqual(300);
    const attempts = readBatches(logFile).filter((batch) => batch.phase === 'start' && batch.keys.includes('999'));
    expect(attempts.filter((batch) => batch.size === 1)).toHaveLength(3);

    const listed = await listFailedJobs(queue);
    expect(listed).toEqual([
      expect.objectContaining({
        id: failing!.id,
        name: JobName.EmbedProducts,
        failedReason: 'fake transient failure',
        attemptsMade: 3,
        data: { products: [{ productId: '999', text: 'fail: the model chokes on this one' }] },
      }),
    ]);
    expect(listed[0]!.stacktrace).toHaveLength(3);
    expect(listed[0]!.stacktrace[0]).toContain('<inference thread>');
  });

  it('fails a malformed payload at once, without retries and without calling the handler', async () => {
    const raw = queues.raw(QueueName.ProductEmbedding);
    await start();
    const bad = await raw.add(JobName.EmbedProducts, { products: [{ productId: 'abc', text: '   ' }], extra: true }, { attempts: 5, backoff: 10 });
    const unknown = await raw.add('mystery-job', { productId: '1', text: 'x' }, { attempts: 5, backoff: 10 });
    await waitForCount(raw, 'failed', 2);

    const failedBad = (await raw.getJob(bad.id!))!;
    expect(failedBad.attemptsMade).toBe(1);
    expect(failedBad.failedReason).toBe(
      'invalid embed-products payload: products: [0].productId: must be a positive integer id as a string; [0].text: must not be blank; extra: unknown field',
    );
    const failedUnknown = (await raw.getJob(unknown.id!))!;
    expect(failedUnknown.attemptsMade).toBe(1);
    expect(failedUnknown.failedReason).toBe('no handler for job "mystery-job" on queue product-embedding');
    expect(readBatches(logFile)).toEqual([]);
  });

  it('stops taking jobs when the inference thread dies; the jobs in hand keep their remaining attempts', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    let fatal: (error: Error) => void = () => undefined;
    const died = new Promise<Error>((resolve) => (fatal = resolve));
    worker = await startWorker(
      loadWorkerConfig({
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        LOG_LEVEL: 'error',
        WORKER_QUEUES: QueueName.ProductEmbedding,
        WORKER_HANDLER_MODULE: FAKE_HANDLERS,
      }),
      { onFatal: fatal },
    );
    const [job] = await enqueueEmbedProducts(queue, [{ productId: '1', text: 'crash the thread' }], {
      modelVersion: '0.0.0',
      jobOptions: { backoff: { type: 'fixed', delay: 60_000 } },
    });
    expect((await died).message).toBe('inference thread exited with code 3');
    const after = (await queue.getJob(job!.id!))!;
    expect(await after.getState()).toBe('delayed');
    expect(after.attemptsMade).toBe(1);
    await enqueueEmbedProducts(queue, [{ productId: '2', text: 'after the crash' }], { modelVersion: '0.0.0' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queue.getWaitingCount()).toBe(1);
  });

  it('refuses to start when a served queue carries a job without a handler', async () => {
    await expect(start({ WORKER_QUEUES: QueueName.ReviewAnalysis, WORKER_HANDLER_MODULE: join(__dirname, 'fixtures', 'no-handlers.ts') })).rejects.toThrow(
      /no handler for analyse-review in .*no-handlers\.ts; serve only queues whose jobs have handlers/,
    );
  });
});
