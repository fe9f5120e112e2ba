import type { DataSource } from 'typeorm';

/** mysql2's error when `queueLimit` statements already wait for a connection; it has no code. */
const QUEUE_FULL = 'Queue limit reached.';

/**
 * Whether `error` is the pool refusing a statement because `MYSQL_POOL_QUEUE_LIMIT` others wait
 * already: the process is overloaded, the database may be fine, and trying again shortly may work.
 */
export const isPoolExhausted = (error: unknown): boolean => error instanceof Error && error.message === QUEUE_FULL;

/**
 * Driver codes of a database that cannot be reached or went away mid-statement (restarting,
 * failing over, the network cut), as opposed to a statement it refused.
 */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
]);

/**
 * Whether `error` (mysql2's, or TypeORM's wrapping one) says the database cannot be reached just
 * now: the request failed for want of it, and the same request may work once it is back.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // graphql-js wraps a thrown value it does not take for an Error (one from another realm, as
  // under jest) as `thrownValue`; TypeORM keeps the driver's as `driverError`.
  const { code, driverError, thrownValue } = error as { code?: unknown; driverError?: unknown; thrownValue?: unknown };
  if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  return isDatabaseUnreachable(driverError) || isDatabaseUnreachable(thrownValue);
}

/**
 * Asks the server whether it answers (COM_PING on a pooled connection), for readiness probes: no
 * statement, so nothing reaches the SQL counters; fails when no connection can be had, the pool's
 * queue being full included.
 */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    const connection = (await runner.connect()) as { ping(callback: (error: Error | null) => void): void };
    await new Promise<void>((resolve, reject) => connection.ping((error) => (error ? reject(error) : resolve())));
  } finally {
    await runner.release();
  }
}

/** The connections of a subgraph's pool: open (in use + idle), idle, statements waiting for one, and the most it opens. */
export interface PoolUsage {
  open: number;
  idle: number;
  waiting: number;
  limit: number;
}

/** mysql2's pool as TypeORM's MySQL driver holds it; the queues are mysql2's own (Denque), read for metrics only. */
interface Mysql2Pool {
  config: { connectionLimit: number };
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

/**
 * What `dataSource`'s mysql2 pool holds now, read at scrape time; null when the driver has no such
 * pool (closed, or not mysql2). mysql2 publishes no counters, so this reads the lengths of its
 * queues, which every 3.x release has kept.
 */
export function poolUsage(dataSource: DataSource): PoolUsage | null {
  const pool = (dataSource.driver as { pool?: Partial<Mysql2Pool> }).pool;
  if (!pool?._allConnections || !pool._freeConnections || !pool._connectionQueue || !pool.config) return null;
  return {
    open: pool._allConnections.length,
    idle: pool._freeConnections.length,
    waiting: pool._connectionQueue.length,
    limit: pool.config.connectionLimit,
  };
}
