import { OutboxTable, type OutboxStore, type Statements } from './outbox';

/** One shopper's pending interest update, as of its latest request. */
export interface InterestRequest {
  userId: string;
  requestedAt: Date;
}

const row = (request: InterestRequest) => ({ key: request.userId, requestedAt: request.requestedAt });

/**
 * `interest_update_request`, the outbox of `update-interest` jobs (see `JobOutbox`), in the database
 * of each subgraph that asks for interest updates: recommendation (events) and feedback (reviews).
 * Each creates the table in a migration of its own and owns its rows; this is the one code over it.
 */
export class InterestRequestStore implements OutboxStore<InterestRequest> {
  private readonly table: OutboxTable;

  constructor(dataSource: Statements) {
    this.table = new OutboxTable(dataSource, 'interest_update_request', 'user_id');
  }

  /** Records the request in the caller's transaction, the one that stores what calls for it. */
  async request(manager: Statements, userId: string, at: Date): Promise<InterestRequest> {
    await this.table.request(manager, [userId], at);
    return { userId, requestedAt: at };
  }

  async due(before: Date, limit: number): Promise<InterestRequest[]> {
    return (await this.table.due(before, limit)).map(({ key, requestedAt }) => ({ userId: key, requestedAt }));
  }

  queued(requests: readonly InterestRequest[], run: string, at: Date): Promise<void> {
    return this.table.queued(requests.map(row), run, at);
  }

  requeueLost(run: string): Promise<number> {
    return this.table.requeueLost(run);
  }

  expire(before: Date): Promise<number> {
    return this.table.expire(before);
  }

  /** Forgetting: the shopper's request goes with their other rows, in the caller's transaction. */
  deleteShopper(manager: Statements, userId: string): Promise<void> {
    return this.table.delete(manager, [userId]);
  }
}
