/** An enqueue that did not finish in time (Redis unreachable, or reconnecting). */
export class EnqueueTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer from the queue within ${timeoutMs} ms`);
    this.name = 'EnqueueTimeoutError';
  }
}

/**
 * `work`, or an `EnqueueTimeoutError` after `timeoutMs`. A producer's queue keeps commands while
 * Redis is away and sends them when it returns, so an enqueue can otherwise wait for as long as the
 * outage lasts; a request whose data is committed must not. The command may still reach Redis
 * later, which is why everything queued this way has an idempotent job id or deduplication key.
 */
export function withinTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EnqueueTimeoutError(what, timeoutMs)), timeoutMs);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** Requests written to a database table with the data they are about, until they are queued. */
export interface OutboxStore<T> {
  /** Requests written before `before`, oldest first, at most `limit`. */
  due(before: Date, limit: number): Promise<T[]>;
  /** These requests reached the queue: remove them, unless one was written again since. */
  queued(requests: readonly T[]): Promise<void>;
}

export interface JobOutboxOptions {
  /** Named in log lines: "[recommendation] interest updates". */
  name: string;
  /** How long one enqueue may take (see `withinTimeout`; the subgraphs' `ENQUEUE_TIMEOUT_MS`). */
  timeoutMs: number;
  /** The sweep takes requests older than this, so it leaves those whose writer is still queueing them. */
  staleAfterMs: number;
  /** Requests per sweep page. @default 500 */
  pageSize?: number;
}

/**
 * The transactional outbox of one kind of job. A write stores its request (a row in the
 * subgraph's own database) in the transaction that stores its data; after the commit, `deliver`
 * queues it within the timeout and removes the row. Whatever was not queued (Redis down, the
 * process stopped between commit and enqueue) stays in the table, and `sweep` (run periodically by
 * the subgraph) queues it later. The request never fails the write that made it.
 */
export class JobOutbox<T> {
  constructor(
    private readonly store: OutboxStore<T>,
    /** Queues these requests (idempotently: a request may be queued twice). */
    private readonly send: (requests: readonly T[]) => Promise<unknown>,
    private readonly options: JobOutboxOptions,
  ) {}

  private async queue(requests: readonly T[]): Promise<void> {
    await withinTimeout(this.send(requests), this.options.timeoutMs, this.options.name);
    await this.store.queued(requests);
  }

  /** Queues requests just committed; false (and logged) when they were left for the sweep. Never throws. */
  async deliver(requests: readonly T[]): Promise<boolean> {
    if (requests.length === 0) return true;
    try {
      await this.queue(requests);
      return true;
    } catch (error) {
      console.error(`${this.options.name} not queued yet (the sweep will):`, error instanceof Error ? error.message : error);
      return false;
    }
  }

  /** Queues every request older than `staleAfterMs`, page by page; returns how many. Throws on the first failure. */
  async sweep(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.options.staleAfterMs);
    const pageSize = this.options.pageSize ?? 500;
    let queued = 0;
    for (;;) {
      // Each queued page is removed, so the next read starts after it.
      const page = await this.store.due(before, pageSize);
      if (page.length === 0) return queued;
      await this.queue(page);
      queued += page.length;
      if (page.length < pageSize) return queued;
    }
  }
}
