import type { Identity } from '@serendip/federation';
import { JobName, openQueue, openWorker, QueueName } from '@serendip/jobs';
import { createTestDatabases, dropTestDatabases, errorCodes, subgraphClient, testEnv } from '@serendip/testing';
import { randomUUID } from 'node:crypto';
import { startRecommendationSubgraph } from '../src/app';
import { loadRecommendationConfig } from '../src/config';

/**
 * The operator's view of the worker's queues on real Redis (this file's own key prefix): a job
 * that fails for good is counted and listed with its reason, and retrying it puts it back to wait.
 */
const env = testEnv({ RECOMMENDATION_PORT: '0', REVIEW_QUALITY_WEIGHT: '0', SEGMENT_REFRESH_MS: '0' });
const config = loadRecommendationConfig(env);
const connection = { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
const ADMIN: Identity = { userId: randomUUID(), roles: ['admin'] };
const SHOPPER: Identity = { userId: randomUUID(), roles: ['shopper'] };
let subgraph: Awaited<ReturnType<typeof startRecommendationSubgraph>>;
let call: ReturnType<typeof subgraphClient>;

interface QueueView {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  failedJobs: { id: string; name: string; failedReason: string; attemptsMade: number }[];
}
const QUEUES = '{ jobQueues(failedFirst: 5) { name waiting active delayed failed failedJobs { id name failedReason attemptsMade } } }';
const RETRY = 'mutation ($queue: String!, $jobId: ID!) { retryFailedJob(queue: $queue, jobId: $jobId) }';

async function reviewQueue(): Promise<QueueView> {
  const response = await call<{ jobQueues: QueueView[] }>(QUEUES, {}, ADMIN);
  expect(response.errors).toBeUndefined();
  expect(response.data!.jobQueues.map((queue) => queue.name)).toEqual(Object.values(QueueName));
  return response.data!.jobQueues.find((queue) => queue.name === QueueName.ReviewAnalysis)!;
}

beforeAll(async () => {
  await createTestDatabases(config, ['recommendation']);
  subgraph = await startRecommendationSubgraph(config);
  call = subgraphClient(subgraph.url);
}, 60_000);

afterAll(async () => {
  await subgraph?.stop();
  await dropTestDatabases(config, ['recommendation']);
});

describe('jobQueues and retryFailedJob', () => {
  it('counts a job that failed for good, lists why, and retrying it puts it back to wait', async () => {
    const queue = openQueue(QueueName.ReviewAnalysis, connection);
    const job = await queue.add(JobName.AnalyseReview, { reviewId: '1', text: 'Arrived broken.' }, { attempts: 1 });
    const worker = openWorker(
      QueueName.ReviewAnalysis,
      () => {
        throw new Error('the model file is missing');
      },
      connection,
    );
    await new Promise<void>((resolve) => worker.once('failed', () => resolve()));
    await worker.close();

    const failed = await reviewQueue();
    expect(failed).toMatchObject({ waiting: 0, active: 0, failed: 1 });
    expect(failed.failedJobs).toEqual([{ id: job.id, name: JobName.AnalyseReview, failedReason: 'the model file is missing', attemptsMade: 1 }]);

    const retried = await call<{ retryFailedJob: boolean }>(RETRY, { queue: QueueName.ReviewAnalysis, jobId: job.id }, ADMIN);
    expect(retried.data?.retryFailedJob).toBe(true);
    expect(await reviewQueue()).toMatchObject({ waiting: 1, failed: 0, failedJobs: [] });
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(0);

    // A job that waits is not failed: nothing to retry.
    expect(errorCodes(await call(RETRY, { queue: QueueName.ReviewAnalysis, jobId: job.id }, ADMIN))).toEqual(['CONFLICT']);
    await queue.close();
  });

  it('names what it cannot find', async () => {
    expect(errorCodes(await call(RETRY, { queue: 'no-such-queue', jobId: '1' }, ADMIN))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call(RETRY, { queue: QueueName.ReviewAnalysis, jobId: 'missing' }, ADMIN))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await call('{ jobQueues(failedFirst: 101) { name } }', {}, ADMIN))).toEqual(['BAD_USER_INPUT']);
  });

  it('is for admins only', async () => {
    expect(errorCodes(await call(QUEUES, {}, SHOPPER))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(RETRY, { queue: QueueName.ReviewAnalysis, jobId: '1' }, SHOPPER))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await call(QUEUES))).toEqual(['UNAUTHENTICATED']);
  });
});
