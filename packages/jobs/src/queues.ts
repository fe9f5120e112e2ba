import { createRedis, redisTopology } from '@serendip/config';
import { Queue, QueueEvents, Worker, type ConnectionOptions, type DefaultJobOptions, type Job, type Processor, type WorkerOptions } from 'bullmq';
import { type JobOfQueue, type JobName, type QueueName } from './names';
import { type JobPayloads, type JobResult } from './payloads';
import { type Traced } from './tracing';

/**
 * Key prefix of every queue. Producers (subgraphs) and workers must agree on it; tests give each
 * file its own so they share one Redis without seeing each other's jobs.
 */
export const DEFAULT_QUEUE_PREFIX = 'serendip';

export interface QueueConnection {
  /** `REDIS_URL`: one server, a Sentinel group or a cluster (`redisTopology`, @serendip/config). */
  redisUrl: string;
  /** @default DEFAULT_QUEUE_PREFIX */
  prefix?: string;
}

/**
 * The key prefix BullMQ is given for queue `name`. BullMQ's scripts touch several keys of a queue
 * at once, which a cluster allows only within one hash slot: there the queue's name goes in a hash
 * tag (`<prefix>:{<name>}:<name>:…`), so each queue's keys share a slot and the queues spread over
 * the masters. On one server or through Sentinel the keys stay as they always were
 * (`<prefix>:<name>:…`), so an upgrade finds the jobs already queued.
 */
export function queueKeyPrefix(connection: QueueConnection, name: QueueName): string {
  const prefix = connection.prefix ?? DEFAULT_QUEUE_PREFIX;
  return redisTopology(connection.redisUrl).mode === 'cluster' ? `${prefix}:{${name}}` : prefix;
}

/**
 * BullMQ's connection to `redisUrl`. On one server or through Sentinel BullMQ is given options and
 * opens and closes its connections itself, as it always has. A cluster client it takes only
 * ready-made (from options it builds single-server clients) and never closes, since a client
 * handed to it may be shared: `release` closes it once its queue, worker or event stream has.
 * `blocking` (workers, event streams): BullMQ requires their blocking reads to retry without limit.
 */
function bullConnection(redisUrl: string, blocking: boolean): { connection: ConnectionOptions; release: () => void } {
  const topology = redisTopology(redisUrl);
  if (topology.mode !== 'cluster') return { connection: topology.mode === 'node' ? { url: topology.url } : topology.options, release: () => undefined };
  const cluster = createRedis(redisUrl, { lazyConnect: true, ...(blocking && { maxRetriesPerRequest: null }) });
  return { connection: cluster, release: () => cluster.disconnect() };
}

/** `holder` whose `close` then runs `release`, whatever the close's outcome. */
function releasedOnClose<T extends { close(...args: never[]): Promise<void> }>(holder: T, release: () => void): T {
  const close = holder.close.bind(holder) as (...args: Parameters<T['close']>) => Promise<void>;
  holder.close = (...args: Parameters<T['close']>) => close(...args).finally(release);
  return holder;
}

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
  const redis = bullConnection(connection.redisUrl, false);
  const queue = new Queue<JobData<JobOfQueue<Q>>, JobResult<JobOfQueue<Q>>, JobOfQueue<Q>>(name, {
    connection: redis.connection,
    prefix: queueKeyPrefix(connection, name),
    defaultJobOptions,
  });
  return releasedOnClose(queue, redis.release);
}

/**
 * A BullMQ worker taking `name`'s jobs (with BullMQ's own `options`: concurrency, locks, stalls);
 * close it when done.
 */
export function openWorker<D = unknown, R = unknown>(
  name: QueueName,
  processor: Processor<D, R>,
  connection: QueueConnection,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker<D, R> {
  const redis = bullConnection(connection.redisUrl, true);
  const worker = new Worker<D, R>(name, processor, { ...options, connection: redis.connection, prefix: queueKeyPrefix(connection, name) });
  return releasedOnClose(worker, redis.release);
}

/**
 * Completion events of one queue, for a producer that waits for a result
 * (`job.waitUntilFinished(events)`) or follows progress; close it when done.
 * `lastEventId` says where to start reading: by default only events after the first read,
 * which can come after `waitUntilReady()` resolves; `'0-0'` reads a fresh queue's from the start.
 */
export function openQueueEvents(name: QueueName, connection: QueueConnection, options: { lastEventId?: string } = {}): QueueEvents {
  const redis = bullConnection(connection.redisUrl, true);
  const events = new QueueEvents(name, {
    connection: redis.connection,
    prefix: queueKeyPrefix(connection, name),
    ...(options.lastEventId !== undefined && { lastEventId: options.lastEventId }),
  });
  return releasedOnClose(events, redis.release);
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
