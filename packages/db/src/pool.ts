import type { DataSource } from 'typeorm';

/** mysql2's error when `queueLimit` statements already wait for a connection; it has no code. */
const QUEUE_FULL = 'Queue limit reached.';

/**
 * Whether `error` is the pool refusing a statement because `MYSQL_POOL_QUEUE_LIMIT` others wait
 * already: the process is overloaded, the database may be fine, and trying again shortly may work.
 */
export const isPoolExhausted = (error: unknown): boolean => error instanceof Error && error.message === QUEUE_FULL;

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
