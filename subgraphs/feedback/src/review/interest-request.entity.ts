import { Entity, Index, PrimaryColumn, Column } from 'typeorm';

/**
 * A reviewer whose interests need recomputing (a low rating changes them): the outbox of
 * `update-interest` jobs (`InterestRequestStore`). Written with the review, kept an hour after it
 * is queued (`JobOutbox`).
 */
@Entity({ name: 'interest_update_request' })
@Index('idx_interest_update_request_at', ['requestedAt'])
@Index('idx_interest_update_request_queued', ['queuedAt'])
export class InterestRequestEntity {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  /** The latest request's time: a request written again while one is being queued stays due when the earlier one is marked queued. */
  @Column({ name: 'requested_at', type: 'datetime', precision: 3 })
  requestedAt!: Date;

  /** When the request was queued (null: not yet); kept an hour in case Redis loses the job. */
  @Column({ name: 'queued_at', type: 'datetime', precision: 3, nullable: true })
  queuedAt!: Date | null;

  /** The run id of the Redis that took it: a request of an earlier run is queued again. */
  @Column({ name: 'queued_run', type: 'varchar', length: 40, nullable: true })
  queuedRun!: string | null;
}
