import { createHash } from 'node:crypto';
import { logger } from '@serendip/telemetry';

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

/** What runs a statement: a data source, or a transaction's entity manager. */
export interface Statements {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** A queue's connection as `redisRunId` reads it: a server, or a cluster and its masters. */
interface ServerInfo {
  info(section: 'server'): Promise<string>;
  isCluster?: boolean;
  nodes?(role: 'master'): ServerInfo[];
}

/**
 * The id of the Redis server process behind a queue connection (`run_id` of `INFO server`). It
 * changes when Redis restarts or fails over, which is when queued jobs may have been lost with it.
 * On a cluster, where INFO goes to any node, it is a digest of every master's run id (40 hex
 * characters, as a run id is): it changes when any master restarts or fails over, or masters come
 * or go, and queueing everything again then costs repeated idempotent jobs at most.
 */
export async function redisRunId(client: Promise<ServerInfo> | ServerInfo): Promise<string> {
  const connection = await client;
  const servers = connection.isCluster ? (connection.nodes?.('master') ?? []) : [connection];
  if (servers.length === 0) throw new Error('the cluster has no master connected');
  const runs = await Promise.all(
    servers.map(async (server) => {
      const run = /^run_id:(\w+)/m.exec(await server.info('server'))?.[1];
      if (!run) throw new Error('INFO server has no run_id');
      return run;
    }),
  );
  return runs.length === 1 ? runs[0]! : createHash('sha1').update(runs.sort().join(',')).digest('hex');
}

/** Requests written to a database table with the data they are about, kept a while after they are queued. */
export interface OutboxStore<T> {
  /** Requests not queued yet, written before `before`, oldest first, at most `limit`. */
  due(before: Date, limit: number): Promise<T[]>;
  /** These requests reached the queue of Redis run `run` at `at`: mark them so, unless one was written again since. */
  queued(requests: readonly T[], run: string, at: Date): Promise<void>;
  /** Marks requests queued to a Redis run other than `run` as not queued; returns how many. */
  requeueLost(run: string): Promise<number>;
  /** Removes requests queued before `before`; returns how many. */
  expire(before: Date): Promise<number>;
}

/** One stored request: the key it is about (a shopper, a product) and its latest time. */
export interface OutboxRow {
  key: string;
  requestedAt: Date;
}

/**
 * The SQL of an outbox table: `<key> PRIMARY KEY, requested_at DATETIME(3), queued_at DATETIME(3)
 * NULL, queued_run VARCHAR(40) NULL`, one row per key. Every outbox table has this shape; each
 * store maps its own request type onto it.
 */
export class OutboxTable {
  constructor(
    private readonly dataSource: Statements,
    private readonly table: string,
    private readonly keyColumn: string,
  ) {}

  /**
   * Records requests in the caller's transaction, the one that stores what calls for them. A key
   * written again becomes due again, even if its earlier request was queued (that job may have
   * run before this write).
   */
  async request(manager: Statements, keys: readonly string[], at: Date): Promise<void> {
    if (keys.length === 0) return;
    await manager.query(
      `INSERT INTO ${this.table} (${this.keyColumn}, requested_at) VALUES ${keys.map(() => '(?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE requested_at = GREATEST(requested_at, VALUES(requested_at)), queued_at = NULL, queued_run = NULL`,
      keys.flatMap((key) => [key, at]),
    );
  }

  async due(before: Date, limit: number): Promise<OutboxRow[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${this.keyColumn} AS \`key\`, requested_at AS requestedAt FROM ${this.table}
       WHERE queued_run IS NULL AND requested_at < ? ORDER BY requested_at, ${this.keyColumn} LIMIT ?`,
      [before, limit],
    )) as { key: string | number; requestedAt: Date }[];
    return rows.map((row) => ({ key: String(row.key), requestedAt: new Date(row.requestedAt) }));
  }

  /** Marks the rows of these requests queued; a row written again since (a later time) stays due. */
  async queued(requests: readonly OutboxRow[], run: string, at: Date): Promise<void> {
    if (requests.length === 0) return;
    await this.dataSource.query(
      `UPDATE ${this.table} SET queued_at = ?, queued_run = ?
       WHERE ${requests.map(() => `(${this.keyColumn} = ? AND requested_at <= ?)`).join(' OR ')}`,
      [at, run, ...requests.flatMap((request) => [request.key, request.requestedAt])],
    );
  }

  async requeueLost(run: string): Promise<number> {
    const result = (await this.dataSource.query(
      `UPDATE ${this.table} SET queued_at = NULL, queued_run = NULL WHERE queued_run IS NOT NULL AND queued_run <> ?`,
      [run],
    )) as { affectedRows: number };
    return result.affectedRows;
  }

  async expire(before: Date): Promise<number> {
    const result = (await this.dataSource.query(`DELETE FROM ${this.table} WHERE queued_at < ?`, [before])) as { affectedRows: number };
    return result.affectedRows;
  }

  /** Forgetting: the keys' rows go with their other data, in the caller's transaction. */
  async delete(manager: Statements, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await manager.query(`DELETE FROM ${this.table} WHERE ${this.keyColumn} IN (${keys.map(() => '?').join(', ')})`, [...keys]);
  }
}

export interface JobOutboxOptions {
  /** Named in log lines: "[recommendation] interest updates". */
  name: string;
  /** How long one enqueue may take (see `withinTimeout`; the subgraphs' `ENQUEUE_TIMEOUT_MS`). */
  timeoutMs: number;
  /** The sweep takes requests older than this, so it leaves those whose writer is still queueing them. */
  staleAfterMs: number;
  /** The run id of the Redis the jobs go to (`redisRunId` of the queue's connection). */
  redisRun: () => Promise<string>;
  /**
   * How long a queued request is kept, in case Redis restarts before its job has run. Longer than
   * the queue's backlog ever lasts. @default 3600000 (an hour)
   */
  retainMs?: number;
  /** Requests per sweep page. @default 500 */
  pageSize?: number;
}

/**
 * The transactional outbox of one kind of job. A write stores its request (a row in the
 * subgraph's own database) in the transaction that stores its data; after the commit, `deliver`
 * queues it within the timeout and marks the row queued, with the run id of the Redis that took
 * it. Whatever was not queued (Redis down, the process stopped between commit and enqueue) stays
 * due, and `sweep` (run periodically by the subgraph) queues it later.
 *
 * Queued rows are kept for `retainMs`: Redis may restart without its data (a cache-like
 * deployment, a failover to a replica that lagged) and take waiting jobs with it. Each sweep asks
 * for Redis's run id, and queues again every kept request that an earlier run took. Jobs are
 * idempotent, so a request queued twice costs a repeated job at most. The request never fails the
 * write that made it.
 */
export class JobOutbox<T> {
  constructor(
    private readonly store: OutboxStore<T>,
    /** Queues these requests (idempotently: a request may be queued twice). */
    private readonly send: (requests: readonly T[]) => Promise<unknown>,
    private readonly options: JobOutboxOptions,
  ) {}

  /** `now`: the caller's clock, the one request and expiry times are on. */
  private async queue(requests: readonly T[], now: Date): Promise<void> {
    // The run is read before the jobs are sent: if Redis restarts in between, the jobs reach the
    // new server but are marked with the old run, and the next sweep queues them once more
    // (harmless), instead of being marked with the new run while lost with the old server.
    const sent = (async () => {
      const run = await this.options.redisRun();
      await this.send(requests);
      return run;
    })();
    const run = await withinTimeout(sent, this.options.timeoutMs, this.options.name);
    await this.store.queued(requests, run, now);
  }

  /** Queues requests just committed; false (and logged) when they were left for the sweep. Never throws. */
  async deliver(requests: readonly T[]): Promise<boolean> {
    if (requests.length === 0) return true;
    try {
      await this.queue(requests, new Date());
      return true;
    } catch (error) {
      logger().error({ err: error }, `${this.options.name} not queued yet (the sweep will)`);
      return false;
    }
  }

  /**
   * Queues again what a Redis that has since restarted took, then every request older than
   * `staleAfterMs`, page by page, then removes requests queued longer than `retainMs` ago;
   * returns how many it queued. Throws on the first failure.
   */
  async sweep(now = new Date()): Promise<number> {
    const run = await withinTimeout(this.options.redisRun(), this.options.timeoutMs, this.options.name);
    const lost = await this.store.requeueLost(run);
    if (lost > 0) logger().warn(`${this.options.name}: ${lost} requests were queued to a Redis that has restarted since; queueing them again`);
    const before = new Date(now.getTime() - this.options.staleAfterMs);
    const pageSize = this.options.pageSize ?? 500;
    let queued = 0;
    for (;;) {
      // Each queued page is marked, so the next read starts after it.
      const page = await this.store.due(before, pageSize);
      if (page.length > 0) {
        await this.queue(page, now);
        queued += page.length;
      }
      if (page.length < pageSize) break;
    }
    await this.store.expire(new Date(now.getTime() - (this.options.retainMs ?? 3_600_000)));
    return queued;
  }
}
