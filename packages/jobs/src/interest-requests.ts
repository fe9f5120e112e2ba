import type { OutboxStore } from './outbox';

/** One shopper's pending interest update, as of its latest request. */
export interface InterestRequest {
  userId: string;
  requestedAt: Date;
}

/** A data source or a transaction's entity manager: whatever runs a statement. */
interface Statements {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * `interest_update_request`, the outbox of `update-interest` jobs (see `JobOutbox`), in the database
 * of each subgraph that asks for interest updates: recommendation (events) and feedback (reviews).
 * Each creates the table in a migration of its own and owns its rows; this is the one code over it.
 */
export class InterestRequestStore implements OutboxStore<InterestRequest> {
  constructor(private readonly dataSource: Statements) {}

  /** Records the request in the caller's transaction, the one that stores what calls for it. */
  async request(manager: Statements, userId: string, at: Date): Promise<InterestRequest> {
    await manager.query(
      `INSERT INTO interest_update_request (user_id, requested_at) VALUES (?, ?)
       ON DUPLICATE KEY UPDATE requested_at = GREATEST(requested_at, VALUES(requested_at))`,
      [userId, at],
    );
    return { userId, requestedAt: at };
  }

  async due(before: Date, limit: number): Promise<InterestRequest[]> {
    const rows = (await this.dataSource.query(
      `SELECT user_id AS userId, requested_at AS requestedAt FROM interest_update_request
       WHERE requested_at < ? ORDER BY requested_at, user_id LIMIT ?`,
      [before, limit],
    )) as { userId: string; requestedAt: Date }[];
    return rows.map((row) => ({ userId: row.userId, requestedAt: new Date(row.requestedAt) }));
  }

  async queued(requests: readonly InterestRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM interest_update_request WHERE ${requests.map(() => '(user_id = ? AND requested_at <= ?)').join(' OR ')}`,
      requests.flatMap((request) => [request.userId, request.requestedAt]),
    );
  }

  /** Forgetting: the shopper's request goes with their other rows, in the caller's transaction. */
  async deleteShopper(manager: Statements, userId: string): Promise<void> {
    await manager.query('DELETE FROM interest_update_request WHERE user_id = ?', [userId]);
  }
}
