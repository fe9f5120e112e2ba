import { enqueueAnalyseReview, QueueName } from '@serendip/jobs';
import { AnalysisStatus, openFeedbackDataSource, ReviewAnalysisStore, ReviewStore } from '@serendip/subgraph-feedback';
import { createTestDatabases, dropTestDatabases, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { loadWorkerConfig, startWorker, type RunningWorker } from '../src';
import { FAKE_HANDLERS, testQueues, waitFor } from './queue-helpers';

/** The worker stores review analyses in the feedback database, and marks the ones it cannot do. */
const config = loadWorkerConfig({
  ...testEnv(),
  LOG_LEVEL: 'error',
  WORKER_QUEUES: QueueName.ReviewAnalysis,
  WORKER_HANDLER_MODULE: FAKE_HANDLERS,
  WORKER_BATCH_WAIT_MS: '20',
});
let feedback: Awaited<ReturnType<typeof openFeedbackDataSource>>;
let worker: RunningWorker;
let queues: ReturnType<typeof testQueues>;

beforeAll(async () => {
  await createTestDatabases(config, ['feedback']);
  feedback = await openFeedbackDataSource(config);
  queues = testQueues(config.QUEUE_PREFIX);
  worker = await startWorker(config);
});

afterAll(async () => {
  await worker?.stop();
  await queues.close();
  await feedback.dataSource.destroy();
  await dropTestDatabases(config, ['feedback']);
});

describe('review analyses (MariaDB, Redis, fake models)', () => {
  it('stores each result, and marks FAILED a review whose analysis keeps failing while its review stays', async () => {
    const userId = randomUUID();
    const reviews = new ReviewStore(feedback.dataSource);
    const at = new Date();
    await reviews.insertReviews([
      { userId, productId: '11', rating: 5, text: 'Lovely, fits perfectly!', createdAt: at, clientReviewId: 'a' },
      { userId, productId: '12', rating: 2, text: 'Too small and thin.', createdAt: at, clientReviewId: 'b' },
      { userId, productId: '13', rating: 3, text: 'fail: the model chokes on this one', createdAt: at, clientReviewId: 'c' },
    ]);
    const stored: { id: string; text: string }[] = await feedback.dataSource.query('SELECT id, text FROM review WHERE user_id = ? ORDER BY id', [userId]);
    const analyses = new ReviewAnalysisStore(feedback.dataSource);
    expect((await analyses.load(stored.map((row) => String(row.id)))).map((row) => row.status)).toEqual(Array(3).fill(AnalysisStatus.PENDING));

    const finished = (ids: string[]) =>
      waitFor(`analyses of ${ids.join(', ')}`, async () => {
        const byId = new Map((await analyses.load(ids)).map((row) => [String(row.reviewId), row]));
        const ordered = ids.map((id) => byId.get(id)!);
        return ordered.every((row) => row.status !== AnalysisStatus.PENDING) ? ordered : undefined;
      });
    const queue = queues.open(QueueName.ReviewAnalysis);
    const payloads = stored.map((row) => ({ reviewId: String(row.id), text: row.text }));
    // A fake model failure fails its whole batch, so the failing review goes on its own.
    await enqueueAnalyseReview(queue, payloads.slice(0, 2));
    const [lovely, small] = await finished(payloads.slice(0, 2).map((payload) => payload.reviewId));
    await enqueueAnalyseReview(queue, payloads.slice(2), { attempts: 2, backoff: { type: 'fixed', delay: 50 } });
    const [failing] = await finished([payloads[2]!.reviewId]);
    expect(lovely).toMatchObject({ status: AnalysisStatus.DONE, sentiment: 'positive', model: 'fake-sentiment', modelVersion: '0.0.0', error: null });
    expect(lovely!.sentimentScore).toBeCloseTo(0.9);
    expect(lovely!.embedding!.length).toBe(2 * 4);
    expect(small).toMatchObject({ status: AnalysisStatus.DONE, sentiment: 'negative' });
    expect(failing).toMatchObject({ status: AnalysisStatus.FAILED, sentiment: null, error: 'fake transient failure' });
    expect(failing!.analysedAt).toBeInstanceOf(Date);
    // The review itself is untouched.
    expect(await feedback.dataSource.query('SELECT COUNT(*) AS count FROM review WHERE user_id = ?', [userId])).toEqual([{ count: '3' }]);
  });
});
