import type { Job } from 'bullmq';
import type { ServiceMetrics } from '@serendip/federation';
import { openQueue, type QueueName } from '@serendip/jobs';

/** Job states whose counts `serendip_worker_queue_jobs` publishes. */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The worker's series: jobs and their latency per queue, each queue's depth (read from Redis at
 * scrape time, so it covers the jobs every worker process shares), and what inference does:
 * - `serendip_worker_jobs_total{queue,outcome}` (completed, failed: an attempt that threw),
 * - `serendip_worker_job_duration_seconds{queue}`, from this process picking a job up to its end,
 * - `serendip_worker_queue_jobs{queue,state}` (waiting, active, delayed, failed),
 * - `serendip_inference_texts_total{job}` and `serendip_inference_batch_size{job}`: texts sent to
 *   the inference thread and how many went in each call (what micro-batching achieves).
 */
export function workerMetrics(metrics: ServiceMetrics, queues: readonly QueueName[], connection: { redisUrl: string; prefix: string }) {
  const jobs = metrics.counter({
    name: 'serendip_worker_jobs_total',
    help: 'Job attempts this process finished, by queue and outcome (completed, failed).',
    labelNames: ['queue', 'outcome'],
  });
  const duration = metrics.histogram({
    name: 'serendip_worker_job_duration_seconds',
    help: 'Time from this process picking a job up to its completion or failure, by queue.',
    labelNames: ['queue'],
  });
  const texts = metrics.counter({
    name: 'serendip_inference_texts_total',
    help: 'Texts (products, reviews, search texts) sent to the inference thread, by job.',
    labelNames: ['job'],
  });
  const batchSize = metrics.histogram({
    name: 'serendip_inference_batch_size',
    help: 'Texts in each call to the inference thread, by job.',
    labelNames: ['job'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
  });
  // Queue handles of their own: a Worker's connection blocks while it waits for jobs.
  const handles = queues.map((queue) => openQueue(queue, connection));
  metrics.gauge({
    name: 'serendip_worker_queue_jobs',
    help: 'Jobs in each served queue by state (waiting, active, delayed, failed), across every worker process.',
    labelNames: ['queue', 'state'],
    async collect() {
      const counts = await Promise.all(handles.map((handle) => handle.getJobCounts(...QUEUE_STATES)));
      handles.forEach((handle, index) => {
        for (const state of QUEUE_STATES) this.set({ queue: handle.name, state }, counts[index]![state] ?? 0);
      });
    },
  });
  return {
    /** `processor` with each attempt timed and counted. */
    timed<T>(processor: (job: Job) => Promise<T>): (job: Job) => Promise<T> {
      return async (job) => {
        const end = duration.startTimer({ queue: job.queueName });
        try {
          const result = await processor(job);
          jobs.inc({ queue: job.queueName, outcome: 'completed' });
          return result;
        } catch (error) {
          jobs.inc({ queue: job.queueName, outcome: 'failed' });
          throw error;
        } finally {
          end();
        }
      };
    },
    /** Counts one call's texts before it goes to the inference thread. */
    batch(job: string, size: number): void {
      texts.inc({ job }, size);
      batchSize.observe({ job }, size);
    },
    close: () => Promise.all(handles.map((handle) => handle.close())),
  };
}
