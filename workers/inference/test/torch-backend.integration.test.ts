/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
// That environment lets ONNX Runtime run in this process too, for the answers to compare with.
import { createEmbedder, createSentimentClassifier, loadInferenceConfig, SENTIMENT_LABELS, type Embedder, type SentimentClassifier } from '@serendip/inference';
import { decodeVector, embeddingVector, enqueueAnalyseReview, enqueueEmbedProducts, QueueName } from '@serendip/jobs';
import { childProcesses, untilProcessesEnd, testSecrets } from '@serendip/testing';
import { startWorkerPool, type WorkerPool } from '../src';
import { PRODUCT_TEXTS as SHARED_PRODUCT_TEXTS, REDIS_URL, REVIEWS, testQueues, uniquePrefix, waitForCount } from './queue-helpers';

/** The tolerance the torch backend is held to against ONNX Runtime (packages/inference/test/torch-backend.test.ts). */
const TOLERANCE = 1e-5;

const maxAbsDifference = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);

/** Four of the shared product texts: enough to compare the backends. */
const PRODUCT_TEXTS = SHARED_PRODUCT_TEXTS.slice(0, 4);

/**
 * A worker process with INFERENCE_BACKEND=torch, end to end: real jobs through BullMQ, its
 * inference thread handing batches to one PyTorch process per model, answers checked against
 * ONNX Runtime (fp32) in this process.
 */
describe('worker process on the torch backend', () => {
  const prefix = uniquePrefix();
  const queues = testQueues(prefix);
  let pool: WorkerPool | null = null;
  let embedder: Embedder;
  let sentiment: SentimentClassifier;

  /** The worker's PyTorch processes (children of the worker process). */
  const servers = (model = '') => childProcesses(pool!.processes[0]!.pid!, `serve.py --model-dir ${loadInferenceConfig({}).MODELS_DIR}/${model}`);

  beforeAll(async () => {
    const reference = loadInferenceConfig({ INFERENCE_DTYPE: 'fp32' });
    [embedder, sentiment] = await Promise.all([createEmbedder(reference), createSentimentClassifier(reference)]);
    pool = await startWorkerPool({
      processes: 1,
      env: {
        // The worker's settings name the databases' passwords, which tests must set, though these handlers open none.
        ...testSecrets(),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        WORKER_REVIEW_ANALYSES: 'off',
        WORKER_QUEUES: [QueueName.ProductEmbedding, QueueName.ReviewAnalysis].join(','),
        LOG_LEVEL: 'warn',
        INFERENCE_BACKEND: 'torch',
        INFERENCE_DTYPE: 'fp32',
        WORKER_BATCH_WAIT_MS: '20',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await pool?.stop();
    await queues.close();
    await Promise.all([embedder?.dispose(), sentiment?.dispose()]);
  });

  it('runs one PyTorch process per model', () => {
    expect([servers('serendip-embed-zh-en'), servers('serendip-sentiment-zh-en')].map((pids) => pids.length)).toEqual([1, 1]);
  });

  it('embeds products as ONNX Runtime does', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    const products = Array.from({ length: 12 }, (_, index) => ({ productId: String(index + 1), text: PRODUCT_TEXTS[index % PRODUCT_TEXTS.length]! }));
    await enqueueEmbedProducts(queue, products, { modelVersion: embedder.version, productsPerJob: 3 });
    await waitForCount(queue, 'completed', 4, 30_000);
    for (const job of await queue.getCompleted(0, -1)) {
      expect(job.returnvalue).toMatchObject({ model: embedder.model, version: embedder.version });
      const expected = await embedder.embed(job.data.products.map((product) => product.text));
      job.returnvalue.embeddings!.forEach((encoded, index) => expect(maxAbsDifference(decodeVector(encoded), expected[index]!)).toBeLessThanOrEqual(TOLERANCE));
    }
  }, 60_000);

  it('analyses reviews with both models as ONNX Runtime does', async () => {
    const queue = queues.open(QueueName.ReviewAnalysis);
    await enqueueAnalyseReview(queue, REVIEWS);
    await waitForCount(queue, 'completed', REVIEWS.length, 30_000);
    const [labels, vectors] = await Promise.all([
      sentiment.classify(REVIEWS.map((review) => review.text)),
      embedder.embed(REVIEWS.map((review) => review.text)),
    ]);
    const results = new Map((await queue.getCompleted(0, -1)).map((job) => [job.data.reviewId, job.returnvalue]));
    REVIEWS.forEach((review, index) => {
      const result = results.get(review.reviewId)!;
      expect(result.sentiment).toMatchObject({ label: labels[index]!.label, model: sentiment.model, version: sentiment.version });
      for (const label of SENTIMENT_LABELS) expect(Math.abs(result.sentiment.scores[label] - labels[index]!.scores[label])).toBeLessThanOrEqual(TOLERANCE);
      expect(maxAbsDifference(embeddingVector(result.embedding), vectors[index]!)).toBeLessThanOrEqual(TOLERANCE);
    });
  }, 60_000);

  it('replaces a PyTorch process that dies, and the jobs complete', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    const [killed] = servers('serendip-embed-zh-en');
    process.kill(killed!, 'SIGKILL');
    // A job caught in flight fails with TORCH_PROCESS_EXITED and is retried; the next batch starts a new process.
    await enqueueEmbedProducts(
      queue,
      PRODUCT_TEXTS.map((text, index) => ({ productId: String(100 + index), text })),
      { modelVersion: embedder.version, productsPerJob: 1 },
    );
    // The four jobs of the first test, and these.
    await waitForCount(queue, 'completed', 4 + PRODUCT_TEXTS.length, 30_000);
    expect(await queue.getFailedCount()).toBe(0);
    const [replacement] = servers('serendip-embed-zh-en');
    expect(replacement).toBeDefined();
    expect(replacement).not.toBe(killed);
  }, 60_000);

  it('ends its PyTorch processes when the worker stops, or is killed', async () => {
    const running = servers();
    expect(running).toHaveLength(2);
    await pool!.stop();
    await untilProcessesEnd(running);

    pool = await startWorkerPool({
      processes: 1,
      env: {
        // The worker's settings name the databases' passwords, which tests must set, though these handlers open none.
        ...testSecrets(),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        WORKER_QUEUES: QueueName.ProductEmbedding,
        LOG_LEVEL: 'warn',
        INFERENCE_BACKEND: 'torch',
        INFERENCE_DTYPE: 'fp32',
      },
    });
    const orphans = servers();
    expect(orphans).toHaveLength(1);
    // No shutdown runs: the PyTorch process sees its input close when its parent dies, and exits.
    await pool.signal(0, 'SIGKILL');
    await untilProcessesEnd(orphans);
  }, 90_000);
});
