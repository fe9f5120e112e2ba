import { Entity, Index, PrimaryColumn, Column } from 'typeorm';

/**
 * A reviewer whose interests need recomputing (a low rating changes them) and whose update has not
 * reached the queue yet: the outbox of `update-interest` jobs (`InterestRequestStore`). Written with
 * the review, removed once queued.
 */
@Entity({ name: 'interest_update_request' })
@Index('idx_interest_update_request_at', ['requestedAt'])
export class InterestRequestEntity {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  /** The latest request's time: a request written again while one is being queued outlives its removal. */
  @Column({ name: 'requested_at', type: 'datetime', precision: 3 })
  requestedAt!: Date;
}
