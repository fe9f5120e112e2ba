/** @jest-environment ./packages/inference/test/support/onnx-runtime.environment.ts */
// That environment lets the models also run in this process, to check the worker's answers.
import { testSecrets } from '@serendip/testing';
import { createEmbedder, createSentimentClassifier, loadInferenceConfig, type Embedder, type SentimentClassifier } from '@serendip/inference';
import { decodeVector, embeddingVector, enqueueAnalyseReview, enqueueEmbedProducts, enqueueEmbedText, QueueName } from '@serendip/jobs';
import { startWorkerPool, type WorkerPool } from '../src';
import { PRODUCT_TEXTS, REDIS_URL, REVIEWS, testQueues, uniquePrefix, waitForCount } from './queue-helpers';

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, value, index) => sum + value * b[index]!, 0);
const norm = (vector: ArrayLike<number>) => Math.sqrt(cosine(vector, vector));

/**
 * The real models through the real pool: one worker process with the built-in handlers serving
 * every queue that has one, checked against the same models loaded here.
 */
describe('worker process with the real models', () => {
  const prefix = uniquePrefix();
  const queues = testQueues(prefix);
  // fp32: q8 quantises activations with scales computed per call, so under it a vector moves a
  // little with the texts that share its batch (cosine 0.9997 on a CPU without VNNI), which would
  // hide a small padding leak; fp32 must give the same vector whatever shares the batch.
  const inference = loadInferenceConfig({ INFERENCE_DTYPE: 'fp32' });
  let pool: WorkerPool;
  let embedder: Embedder;
  let sentiment: SentimentClassifier;

  beforeAll(async () => {
    [embedder, sentiment] = await Promise.all([createEmbedder(inference), createSentimentClassifier(inference)]);
    pool = await startWorkerPool({
      processes: 1,
      env: {
        // The worker's settings name the databases' passwords, which tests must set, though these handlers open none.
        ...testSecrets(),
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_PRODUCT_EMBEDDINGS: 'off',
        WORKER_REVIEW_ANALYSES: 'off',
        // The model queues only: interest updates need the subgraphs' databases.
        WORKER_QUEUES: [QueueName.ProductEmbedding, QueueName.TextEmbedding, QueueName.ReviewAnalysis].join(','),
        LOG_LEVEL: 'warn',
        WORKER_BATCH_MAX: '16',
        WORKER_BATCH_WAIT_MS: '20',
        // Padded batches, as on a GPU: the CPU default (one text per call) would never pad.
        INFERENCE_BATCH_SIZE: '16',
        INFERENCE_DTYPE: 'fp32',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await pool?.stop();
    await queues.close();
    await Promise.all([embedder?.dispose(), sentiment?.dispose()]);
  });

  it('embeds products in batches, each vector the one the embedder gives for its text alone', async () => {
    const queue = queues.open(QueueName.ProductEmbedding);
    // 24 products, so the worker answers several at once; the same text under three ids must
    // come out the same whatever else shared its batch (padding must not leak into the mean).
    const products = Array.from({ length: 24 }, (_, index) => ({ productId: String(index + 1), text: PRODUCT_TEXTS[index % PRODUCT_TEXTS.length]! }));
    await enqueueEmbedProducts(queue, products, { modelVersion: embedder.version, productsPerJob: 5 });
    await waitForCount(queue, 'completed', 5, 30_000);

    for (const job of await queue.getCompleted(0, -1)) {
      const result = job.returnvalue;
      expect(result).toMatchObject({ model: embedder.model, version: embedder.version, productIds: job.data.products.map((product) => product.productId) });
      expect(result.embeddings).toHaveLength(job.data.products.length);
      for (const [index, product] of job.data.products.entries()) {
        const embedding = decodeVector(result.embeddings![index]!);
        expect(embedding).toHaveLength(embedder.dimension);
        expect(norm(embedding)).toBeCloseTo(1, 4);
        const [alone] = await embedder.embed([product.text]);
        expect(cosine(embedding, alone!)).toBeGreaterThan(0.9999);
      }
    }
  }, 60_000);

  it('embeds a search text into the same space as the products', async () => {
    const queue = queues.open(QueueName.TextEmbedding);
    const job = await enqueueEmbedText(queue, PRODUCT_TEXTS[1]!, { modelVersion: embedder.version });
    await waitForCount(queue, 'completed', 1, 30_000);
    const result = (await queue.getJob(job.id!))!.returnvalue;
    const [expected] = await embedder.embed([PRODUCT_TEXTS[1]!]);
    expect(result.model).toBe(embedder.model);
    expect(cosine(embeddingVector(result), expected!)).toBeGreaterThan(0.9999);
  }, 60_000);

  it('analyses reviews: sentiment and embedding from both models', async () => {
    const queue = queues.open(QueueName.ReviewAnalysis);
    await enqueueAnalyseReview(queue, REVIEWS);
    await waitForCount(queue, 'completed', REVIEWS.length, 30_000);
    const expected = await sentiment.classify(REVIEWS.map((review) => review.text));

    const results = new Map((await queue.getCompleted(0, -1)).map((job) => [job.data.reviewId, job.returnvalue]));
    REVIEWS.forEach((review, index) => {
      const result = results.get(review.reviewId)!;
      expect(result.sentiment).toMatchObject({ label: expected[index]!.label, model: sentiment.model, version: sentiment.version });
      expect(Math.abs(result.sentiment.score - expected[index]!.score)).toBeLessThan(1e-4);
      const { negative, neutral, positive } = result.sentiment.scores;
      expect(negative + neutral + positive).toBeCloseTo(1, 6);
      expect(result.embedding).toMatchObject({ model: embedder.model, version: embedder.version });
      expect(norm(embeddingVector(result.embedding))).toBeCloseTo(1, 4);
    });
  }, 60_000);
});
