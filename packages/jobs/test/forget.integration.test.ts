import { randomBytes } from 'node:crypto';
import { Worker } from 'bullmq';
import { enqueueAnalyseReview, forgetJobs, openQueue, QueueName } from '../src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** forgetJobs against the real Redis and a real BullMQ worker, under a key prefix of its own. */
describe('forgetJobs (Redis)', () => {
  const prefix = `t_${randomBytes(5).toString('hex')}`;
  const queue = openQueue(QueueName.ReviewAnalysis, { redisUrl: REDIS_URL, prefix });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it("waits for the shopper's job a worker holds, then removes it with the resting ones, and leaves others' jobs", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const picked = new Promise<void>((resolve) => (started = resolve));
    // Only the first job is taken (concurrency 1, the gate holds it), so the other two rest in waiting.
    const worker = new Worker(
      QueueName.ReviewAnalysis,
      async () => {
        started();
        await gate;
        return { ok: true };
      },
      { connection: { url: REDIS_URL }, prefix, concurrency: 1 },
    );
    try {
      const [active, resting, other] = await enqueueAnalyseReview(queue, [
        { reviewId: '1', text: 'forgotten, in the worker' },
        { reviewId: '2', text: 'forgotten, waiting' },
        { reviewId: '3', text: 'someone else' },
      ]);
      await picked;
      expect(await active!.getState()).toBe('active');

      let settled = false;
      const forgetting = forgetJobs(queue, (job) => ['1', '2'].includes(job.data.reviewId), ['analyse-review/1/', 'analyse-review/2/']).then((removed) => {
        settled = true;
        return removed;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Removing a locked job fails; returning now would let BullMQ file it as completed, payload and all.
      expect(settled).toBe(false);
      release();
      expect(await forgetting).toBe(2);

      expect(await queue.getJob(active!.id!)).toBeUndefined();
      expect(await queue.getJob(resting!.id!)).toBeUndefined();
      expect(await queue.getJob(other!.id!)).toBeDefined();
      // Whatever state the other shopper's job has reached, it is the only one left.
      const left = await queue.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
      expect(left.map((job) => job.data.reviewId)).toEqual(['3']);
    } finally {
      release();
      await worker.close();
    }
  });
});
