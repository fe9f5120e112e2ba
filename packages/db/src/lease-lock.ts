import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Leases: locks held as a row of the owning database rather than a server's named lock
 * (GET_LOCK), which Galera clusters do not replicate and a proxy may send to another node. A
 * lease expires unless its holder renews it, so a holder that died frees it after `ttlMs`, and each
 * acquisition raises the row's fence, so work can check before it writes that no one has taken the
 * lease over since (a holder paused past its lease must not write over its successor).
 *
 * The table is made by the lock itself (as TypeORM makes its `migrations` table), since migrations
 * run under a lease and so cannot create it.
 */
const TABLE = 'lease_lock';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  name VARCHAR(191) NOT NULL PRIMARY KEY,
  holder CHAR(36) NOT NULL,
  fence BIGINT UNSIGNED NOT NULL,
  expires_at DATETIME(3) NOT NULL
) ENGINE=InnoDB`;

/**
 * Takes the row when it is free (missing or expired) or already ours. MariaDB applies the updates
 * left to right on the row as updated so far: `fence` and `holder` test the stored holder, and
 * `expires_at` then finds our holder id exactly when the row was taken.
 */
const ACQUIRE = `INSERT INTO ${TABLE} (name, holder, fence, expires_at) VALUES (?, ?, 1, NOW(3) + INTERVAL ? MICROSECOND)
  ON DUPLICATE KEY UPDATE
    fence = IF(expires_at <= NOW(3) OR holder = VALUES(holder), fence + 1, fence),
    holder = IF(expires_at <= NOW(3) OR holder = VALUES(holder), VALUES(holder), holder),
    expires_at = IF(holder = VALUES(holder), VALUES(expires_at), expires_at)`;

const RENEW = `UPDATE ${TABLE} SET expires_at = NOW(3) + INTERVAL ? MICROSECOND WHERE name = ? AND holder = ? AND fence = ? AND expires_at > NOW(3)`;
const RELEASE = `UPDATE ${TABLE} SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE name = ? AND holder = ? AND fence = ?`;
const HELD = `SELECT 1 AS held FROM ${TABLE} WHERE name = ? AND holder = ? AND fence = ? AND expires_at > NOW(3)`;

/** MariaDB's deadlock error, which a Galera cluster also returns when two nodes' writes of the row conflict. */
const DEADLOCK = 'ER_LOCK_DEADLOCK';

export interface LeaseOptions {
  /** How long the lease lasts unrenewed: how soon a dead holder's lease is free. The holder renews it every third of it. @default 30000 */
  ttlMs?: number;
  /** How long to wait while someone else holds it; 0 gives up at once. @default 0 */
  waitMs?: number;
  /** How often a waiting caller tries again. @default 250 */
  retryMs?: number;
}

export class LeaseLostError extends Error {
  constructor(name: string) {
    super(`the lease ${name} was taken over by another holder`);
    this.name = 'LeaseLostError';
  }
}

export interface Lease {
  name: string;
  /** One more than the previous acquisition's. */
  fence: number;
  /** Aborted when a renewal finds the lease gone (this holder was paused past it and another took it). */
  signal: AbortSignal;
  /** Throws LeaseLostError unless this holder holds the lease now: the check before a write. */
  assertHeld(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The table is made once per data source: a refit every 30 s need not send DDL, which a Galera cluster replicates under a cluster-wide lock. */
const tables = new WeakMap<DataSource, Promise<unknown>>();
function ensureTable(dataSource: DataSource): Promise<unknown> {
  let made = tables.get(dataSource);
  if (!made) {
    made = dataSource.query(CREATE_TABLE).catch((error: unknown) => {
      tables.delete(dataSource);
      throw error;
    });
    tables.set(dataSource, made);
  }
  return made;
}

/** The affected rows of an UPDATE through TypeORM's MySQL driver (mysql2's ResultSetHeader). */
const affectedRows = (result: unknown): number => (result as { affectedRows?: number }).affectedRows ?? 0;

async function tryAcquire(dataSource: DataSource, name: string, holder: string, ttlMs: number): Promise<number | null> {
  try {
    await dataSource.query(ACQUIRE, [name, holder, ttlMs * 1000]);
  } catch (error) {
    // Two callers (or two cluster nodes) writing the row at once: the one refused tries again later.
    if ((error as { code?: string }).code === DEADLOCK || (error as { driverError?: { code?: string } }).driverError?.code === DEADLOCK) return null;
    throw error;
  }
  const rows: { holder: string; fence: string | number }[] = await dataSource.query(`SELECT holder, fence FROM ${TABLE} WHERE name = ?`, [name]);
  return rows[0]?.holder === holder ? Number(rows[0].fence) : null;
}

/**
 * Runs `work` holding the lease `name` of `dataSource`'s database, renewed while it runs and given
 * back after. `{ held: false }` when someone else held it for all of `waitMs`.
 */
export async function withLease<T>(
  dataSource: DataSource,
  name: string,
  options: LeaseOptions,
  work: (lease: Lease) => Promise<T>,
): Promise<{ held: true; value: T } | { held: false }> {
  const { ttlMs = 30_000, waitMs = 0, retryMs = 250 } = options;
  await ensureTable(dataSource);
  const holder = randomUUID();
  const deadline = Date.now() + waitMs;
  let fence = await tryAcquire(dataSource, name, holder, ttlMs);
  while (fence === null && Date.now() < deadline) {
    await sleep(Math.min(retryMs, Math.max(0, deadline - Date.now())));
    fence = await tryAcquire(dataSource, name, holder, ttlMs);
  }
  if (fence === null) return { held: false };
  const held = fence;
  const lost = new AbortController();
  const renewal = setInterval(() => {
    dataSource.query(RENEW, [ttlMs * 1000, name, holder, held]).then(
      (result: unknown) => {
        if (affectedRows(result) === 0) lost.abort(new LeaseLostError(name));
      },
      // A renewal that failed (a dropped connection) is tried again at the next tick; the lease lasts ttlMs.
      () => undefined,
    );
  }, ttlMs / 3);
  const lease: Lease = {
    name,
    fence: held,
    signal: lost.signal,
    async assertHeld() {
      const rows: unknown[] = await dataSource.query(HELD, [name, holder, held]);
      if (rows.length === 0) throw new LeaseLostError(name);
    },
  };
  try {
    return { held: true, value: await work(lease) };
  } finally {
    clearInterval(renewal);
    await dataSource.query(RELEASE, [name, holder, held]);
  }
}
