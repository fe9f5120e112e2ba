import type { JobName } from './names';
import type { JobPayloads } from './payloads';
import type { JobQueue } from './queues';

/** What a match looks at: the job's id and payload. */
export interface RestingJob<J extends JobName> {
  id?: string;
  data: JobPayloads[J];
  remove(): Promise<void>;
}

/** Every state a job can rest in; active jobs are locked by a worker and finish on their own. */
const RESTING = ['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children', 'completed', 'failed'] as const;
const PAGE = 500;

/**
 * Removes a shopper's jobs from a queue, whatever their state except active, and every entry of
 * the queue's event stream that mentions one of `needles` (job ids, user ids: completed and
 * deduplicated events carry them). Deletion must reach Redis too: a kept job holds the payload.
 * Returns how many jobs were removed.
 */
export async function forgetJobs<J extends JobName>(
  queue: JobQueue<J>,
  matches: (job: RestingJob<J>) => boolean,
  needles: readonly string[],
): Promise<number> {
  const doomed: RestingJob<J>[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs([...RESTING], start, start + PAGE - 1, true)) as (RestingJob<J> | undefined)[];
    doomed.push(...page.filter((job): job is RestingJob<J> => job !== undefined && matches(job)));
    if (page.length < PAGE) break;
  }
  let removed = 0;
  for (const job of doomed) {
    // A job a worker picked up meanwhile is locked; the worker checks consent itself.
    removed += await job.remove().then(
      () => 1,
      () => 0,
    );
  }
  const all = [...needles, ...doomed.map((job) => job.id!)];
  if (all.length > 0) await scrubEvents(queue, all);
  return removed;
}

interface StreamClient {
  xrange(key: string, start: string, end: string): Promise<[id: string, fields: string[]][]>;
  xdel(key: string, ...ids: string[]): Promise<number>;
}

async function scrubEvents<J extends JobName>(queue: JobQueue<J>, needles: readonly string[]): Promise<void> {
  // BullMQ connects through ioredis; its own client type names only the commands BullMQ uses.
  const client = (await queue.client) as unknown as StreamClient;
  const entries = await client.xrange(queue.keys.events!, '-', '+');
  const mentioning = entries.filter(([, fields]) => fields.some((field) => needles.some((needle) => field.includes(needle)))).map(([id]) => id);
  for (let start = 0; start < mentioning.length; start += PAGE) await client.xdel(queue.keys.events!, ...mentioning.slice(start, start + PAGE));
}
