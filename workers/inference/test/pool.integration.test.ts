import { testSecrets } from '@serendip/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeVector, enqueueEmbedProducts, QueueName } from '@serendip/jobs';
import { startWorkerPool, type WorkerPool } from '../src';
import { fakeVector, type BatchRecord } from './fixtures/fake-handlers';
import { FAKE_HANDLERS, readBatches, REDIS_URL, testQueues, uniquePrefix, waitFor, waitForCount } from './queue-helpers';

/**
 * Worker processes started as the pool starts them (the real entry, `src/main.ts`), with model-free
 * handlers whose batches keep the inference thread busy for 1.5 s: longer than the 1 s lock, so
 * jobs only survive if the main thread keeps renewing their locks while the thread works.
 */
// Worker processes are started (and restarted) for real; on a busy 2-core machine that alone took
// most of a minute, so the time allowed is generous.
describe('worker processes (Redis, fake handlers)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'serendip-pool-'));
  const pools: WorkerPool[] = [];
  let prefix: string;
  let logFile: string;
  let queues: ReturnType<typeof testQueues>;

  const startPool = async () => {
    const pool = await startWorkerPool({
      processes: 1,
      env: {
        // The worker's settings name the databases' passwords, which tests must set, though these handlers open none.
        ...testSecrets(),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        LOG_LEVEL: 'warn',
        WORKER_QUEUES: QueueName.ProductEmbedding,
        WORKER_HANDLER_MODULE: FAKE_HANDLERS,
        WORKER_BATCH_MAX: '8',
        WORKER_BATCH_WAIT_MS: '20',
        WORKER_CONCURRENCY: '1',
        WORKER_LOCK_DURATION_MS: '1000',
        WORKER_STALLED_INTERVAL_MS: '500',
        FAKE_HANDLER_LOG: logFile,
        FAKE_HANDLER_BUSY_MS: '1500',
      },
    });
    pools.push(pool);
    return pool;
  };

  const products = (count: number) => Array.from({ length: count }, (_, index) => ({ productId: String(index + 1), text: `product ${index + 1}` }));

  /** The first batch a process started, once it has. */
  const firstStart = (pid: number) =>
    waitFor(`a batch started by process ${pid}`, () => readBatches(logFile).find((batch) => batch.pid === pid && batch.phase === 'start'));

  beforeEach(() => {
    prefix = uniquePrefix();
    logFile = join(dir, `${prefix}.jsonl`);
    queues = testQueues(prefix);
  });

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.stop()));
    await queues.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loses no job when a worker process is killed mid-batch: another process finishes them once the locks expire', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    const items = products(40);
    await enqueueEmbedProducts(queue, items, { modelVersion: '0.0.0', productsPerJob: 1 });

    const first = await startPool();
    const killedPid = first.processes[0]!.pid!;
    const killed = await firstStart(killedPid);
    expect(await first.signal(0, 'SIGKILL')).toBeNull();
    // Its batch was in the thread when the process died: those jobs are still active, under locks nobody renews.
    expect(readBatches(logFile).some((batch) => batch.pid === killedPid && batch.phase === 'end')).toBe(false);
    expect(await queue.getActiveCount()).toBe(killed.size);

    const second = await startPool();
    const survivorPid = second.processes[0]!.pid!;
    await waitForCount(queue, 'completed', 40, 30_000);

    expect(await queue.getFailedCount()).toBe(0);
    const jobs = await queue.getCompleted(0, -1);
    for (const job of jobs) {
      const [product] = job.data.products;
      expect(job.returnvalue).toEqual({
        model: 'fake-embedder',
        version: '0.0.0',
        productIds: [product!.productId],
        embeddings: [encodeVector(fakeVector(product!.text))],
      });
    }
    const ends = readBatches(logFile).filter((batch) => batch.phase === 'end');
    const completions = ends.flatMap((batch) => batch.keys);
    expect(completions.sort()).toEqual(items.map((item) => item.productId).sort());
    expect(ends.every((batch: BatchRecord) => batch.pid === survivorPid)).toBe(true);
    const stalled = jobs.filter((job) => killed.keys.includes(job.data.products[0]!.productId));
    expect(stalled).toHaveLength(killed.size);
    for (const job of stalled) expect(job.stalledCounter).toBe(1);
  }, 120_000);

  it('on SIGTERM finishes the batch in hand, takes no more jobs and exits 0', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    await enqueueEmbedProducts(queue, products(24), { modelVersion: '0.0.0', productsPerJob: 1 });
    const pool = await startPool();
    const pid = pool.processes[0]!.pid!;
    const inFlight = await firstStart(pid);

    expect(await pool.signal(0, 'SIGTERM')).toBe(0);
    const batches = readBatches(logFile);
    expect(batches.filter((batch) => batch.phase === 'end')).toEqual([{ ...inFlight, phase: 'end' }]);
    expect(await queue.getJobCounts('completed', 'waiting', 'active')).toMatchObject({
      completed: inFlight.size,
      waiting: 24 - inFlight.size,
      active: 0,
    });
    // The batch ran longer than the lock without a stall: the main thread renewed the locks.
    for (const job of await queue.getCompleted(0, -1)) expect(job.stalledCounter).toBe(0);
  }, 120_000);
});
