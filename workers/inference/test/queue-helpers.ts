import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { openQueue, type JobOfQueue, type JobQueue, type QueueName } from '@serendip/jobs';
import type { BatchRecord } from './fixtures/fake-handlers';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const FAKE_HANDLERS = join(__dirname, 'fixtures', 'fake-handlers.ts');

/** A key prefix of its own per test: its queues share Redis with nothing else. */
export const uniquePrefix = (): string => `t_${randomBytes(5).toString('hex')}`;

/**
 * Queues under `prefix`, one handle per name; `close` removes every key under them, including
 * the ones a worker wrote for a queue the test itself never used.
 */
export function testQueues(prefix: string) {
  const opened: Queue[] = [];
  const typed = new Map<QueueName, unknown>();
  return {
    open<Q extends QueueName>(name: Q): JobQueue<JobOfQueue<Q>> {
      if (!typed.has(name)) {
        const queue = openQueue(name, { redisUrl: REDIS_URL, prefix });
        typed.set(name, queue);
        opened.push(queue);
      }
      return typed.get(name) as JobQueue<JobOfQueue<Q>>;
    },
    /** An untyped handle, for jobs no producer helper would add. */
    raw(name: QueueName): Queue {
      const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix });
      opened.push(queue);
      return queue;
    },
    async close(): Promise<void> {
      for (const queue of opened) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    },
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves once `queue` has `count` jobs in `state`. */
export const waitForCount = (queue: Queue, state: 'completed' | 'failed' | 'waiting' | 'active', count: number, timeoutMs?: number) =>
  waitFor(`${count} ${state} jobs on ${queue.name}`, async () => ((await queue.getJobCounts(state))[state] === count ? true : undefined), timeoutMs);

export function readBatches(file: string): BatchRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as BatchRecord);
}

/** Product texts in both languages, as the worker tests embed them. */
export const PRODUCT_TEXTS = [
  'Red running shoes, breathable mesh upper',
  '红色跑鞋 透气网面',
  'Wireless noise-cancelling headphones',
  '无线降噪耳机，续航30小时',
  'Organic green tea, 100 bags',
  '有机绿茶 100包',
  'Stainless steel water bottle 750 ml',
  '不锈钢保温杯 750毫升',
];

/** Reviews of both sentiments in both languages, as the worker tests analyse them. */
export const REVIEWS = [
  { reviewId: '1', text: 'Love this dress, the fabric is soft and it fits perfectly.' },
  { reviewId: '2', text: 'Cheap material, it ripped after one wash. Returning it.' },
  { reviewId: '3', text: '质量很好，物流也快，非常满意！' },
  { reviewId: '4', text: '太差了，用了两天就坏了，不推荐。' },
];
