import { AppError, ErrorCode, notFound } from '@serendip/federation';
import { isQueueName, listFailedJobs, openQueue, QueueName, type QueueConnection } from '@serendip/jobs';
import type { FailedJobView, JobQueue } from './job-queue.types';

/**
 * The worker's queues as an operator sees them: counts by state and the failed jobs, which can be
 * sent back to be tried again. This subgraph is where the platform's operations live (experiments,
 * model versions), and every queue is named in @serendip/jobs, so it reads them all.
 */
export class JobQueueService {
  private readonly queues: Map<QueueName, ReturnType<typeof openQueue>>;

  constructor(connection: QueueConnection) {
    this.queues = new Map(Object.values(QueueName).map((name) => [name, openQueue(name, connection)]));
  }

  /** Every queue, in QueueName order, with up to `failedFirst` of its newest failed jobs. */
  async list(failedFirst: number): Promise<JobQueue[]> {
    return Promise.all(
      [...this.queues].map(async ([name, queue]) => {
        const [counts, paused, failed] = await Promise.all([
          queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'),
          queue.isPaused(),
          failedFirst > 0 ? listFailedJobs(queue, { start: 0, end: failedFirst - 1 }) : Promise.resolve([]),
        ]);
        const failedJobs: FailedJobView[] = failed.map((job) => ({
          id: job.id,
          name: job.name,
          failedReason: job.failedReason,
          attemptsMade: job.attemptsMade,
          addedAt: new Date(job.timestamp),
          failedAt: job.finishedOn === null ? null : new Date(job.finishedOn),
        }));
        return {
          name,
          // Prioritised jobs wait too, in their own set.
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
          completed: counts.completed ?? 0,
          paused,
          failedJobs,
        };
      }),
    );
  }

  /** Sends a failed job back to wait for a worker, with its attempts counted afresh. */
  async retry(queueName: string, jobId: string): Promise<void> {
    const queue = isQueueName(queueName) ? this.queues.get(queueName) : undefined;
    if (!queue) throw notFound('queue', queueName);
    const job = await queue.getJob(jobId);
    if (!job) throw notFound(`job in ${queueName}`, jobId);
    if (!(await job.isFailed())) throw new AppError(ErrorCode.Conflict, `job ${jobId} has not failed: only a failed job can be retried`, { id: jobId });
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
