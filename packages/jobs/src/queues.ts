import { Queue, QueueEvents, type ConnectionOptions, type DefaultJobOptions, type Job } from 'bullmq';
import { type JobOfQueue, type JobName, type QueueName } from './names';
import { type JobPayloads, type JobResult } from './payloads';
import { type Traced } from './tracing';

/**
 * Key prefix of every queue. Producers (subgraphs) and workers must agree on it; tests give each
 * file its own so they share one Redis without seeing each other's jobs.
 */
export const DEFAULT_QUEUE_PREFIX = 'serendip';

export interface QueueConnection {
  /** redis:// or rediss:// URL. */
  redisUrl: string;
  /** @default DEFAULT_QUEUE_PREFIX */
  prefix?: string;
}

export const redisConnection = (redisUrl: string): ConnectionOptions => ({ url: redisUrl });

/**
 * Applied to every job unless a producer overrides it.
 * - 5 attempts with exponential backoff (1 s, 2 s, 4 s, 8 s): model and Redis hiccups pass, a
 *   real bug ends in the failed set within about 15 s.
 * - Jitter: when a whole batch fails, its jobs would otherwise come back at the same instant and
 *   form the same batch again.
 * - Completed jobs stay an hour (their return value is the result until results are stored
 *   elsewhere, and a kept job is what makes a repeated `jobId` a no-op).
 * - Failed jobs stay a week so they can be listed (`listFailedJobs`) and retried by hand.
 */
export const defaultJobOptions: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** A job's data: its payload and, with tracing on, the trace context it was queued in. */
export type JobData<J extends JobName> = JobPayloads[J] & Traced;
export type JobQueue<J extends JobName> = Queue<JobData<J>, JobResult<J>, J>;
export type QueueJob<J extends JobName> = Job<JobData<J>, JobResult<J>, J>;

/** A typed queue handle for producers and tooling; close it when done. */
export function openQueue<Q extends QueueName>(name: Q, connection: QueueConnection): JobQueue<JobOfQueue<Q>> {
  return new Queue<JobData<JobOfQueue<Q>>, JobResult<JobOfQueue<Q>>, JobOfQueue<Q>>(name, {
    connection: redisConnection(connection.redisUrl),
    prefix: connection.prefix ?? DEFAULT_QUEUE_PREFIX,
    defaultJobOptions,
  });
}

/**
 * Completion events of one queue, for a producer that waits for a result
 * (`job.waitUntilFinished(events)`) or follows progress; close it when done.
 * `lastEventId` says where to start reading: by default only events after the first read,
 * which can come after `waitUntilReady()` resolves; `'0-0'` reads a fresh queue's from the start.
 */
export function openQueueEvents(name: QueueName, connection: QueueConnection, options: { lastEventId?: string } = {}): QueueEvents {
  return new QueueEvents(name, {
    connection: redisConnection(connection.redisUrl),
    prefix: connection.prefix ?? DEFAULT_QUEUE_PREFIX,
    ...(options.lastEventId !== undefined && { lastEventId: options.lastEventId }),
  });
}

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  failedReason: string;
  attemptsMade: number;
  /** Stack of each failed attempt, newest last. */
  stacktrace: string[];
  /** Epoch ms when the job was added. */
  timestamp: number;
  /** Epoch ms of the final failure. */
  finishedOn: number | null;
}

/**
 * The failed jobs of `queue`, newest first: what an operator reads before retrying or
 * discarding them.
 */
export async function listFailedJobs(queue: Queue, options: { start?: number; end?: number } = {}): Promise<FailedJob[]> {
  const jobs = await queue.getFailed(options.start ?? 0, options.end ?? 99);
  return jobs.map((job) => ({
    id: job.id ?? '',
    name: job.name,
    data: job.data as unknown,
    failedReason: job.failedReason,
    attemptsMade: job.attemptsMade,
    stacktrace: job.stacktrace ?? [],
    timestamp: job.timestamp,
    finishedOn: job.finishedOn ?? null,
  }));
}
