import type { JobName } from './names';
import type { JobPayloads } from './payloads';
import type { JobQueue } from './queues';

/** What a match looks at: the job's id and payload. */
export interface RestingJob<J extends JobName> {
  id?: string;
  data: JobPayloads[J];
  remove(): Promise<void>;
  getState(): Promise<string>;
}

/** Every state a job can rest in, besides active (locked by a worker until it finishes). */
const RESTING = ['waiting', 'delayed', 'prioritized', 'paused', 'waiting-children', 'completed', 'failed'] as const;
const STATES = [...RESTING, 'active'] as const;
const PAGE = 500;
/** How long a shopper's job in a worker's hands is waited for; inference jobs take milliseconds to seconds. */
const ACTIVE_WAIT_MS = 30_000;
const ACTIVE_POLL_MS = 50;

/**
 * Removes a shopper's jobs from a queue, whatever their state, and every entry of the queue's
 * event stream that mentions one of `needles` (job ids, user ids: completed and deduplicated
 * events carry them). Deletion must reach Redis too: a kept job holds the payload. A job a worker
 * holds is locked: it is waited for (the worker checks consent and existence itself, so it stores
 * nothing) and removed once it settles, or else BullMQ would file it as completed, payload and
 * all, after the shopper was forgotten. Returns how many jobs were removed.
 */
export async function forgetJobs<J extends JobName>(queue: JobQueue<J>, matches: (job: RestingJob<J>) => boolean, needles: readonly string[]): Promise<number> {
  const doomed: RestingJob<J>[] = [];
  for (let start = 0; ; start += PAGE) {
    const page = (await queue.getJobs([...STATES], start, start + PAGE - 1, true)) as (RestingJob<J> | undefined)[];
    doomed.push(...page.filter((job): job is RestingJob<J> => job !== undefined && matches(job)));
    if (page.length < PAGE) break;
  }
  let removed = 0;
  const deadline = Date.now() + ACTIVE_WAIT_MS;
  for (const job of doomed) {
    let state = await job.getState();
    while (state === 'active' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, ACTIVE_POLL_MS));
      state = await job.getState();
    }
    if (state === 'unknown') continue;
    // Still locked after the wait (a stuck worker): removal fails and is not counted; the call is
    // idempotent, so forgetting again once the lock has expired removes the job.
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
