import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EventType } from './event-type';

@Entity({ name: 'behaviour_event' })
@Index('uq_behaviour_event_user_client_event', ['userId', 'clientEventId'], { unique: true })
@Index('idx_behaviour_event_user_occurred', ['userId', 'occurredAt'])
@Index('idx_behaviour_event_product', ['productId'])
@Index('idx_behaviour_event_occurred', ['occurredAt'])
@Index('idx_behaviour_event_category_occurred', ['categoryId', 'occurredAt'])
@Index('idx_behaviour_event_recommendation', ['recommendationId'])
export class BehaviourEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ type: 'enum', enum: EventType })
  type!: EventType;

  @Column({ name: 'product_id', type: 'bigint', nullable: true })
  productId!: string | null;

  /** The product's category when the event was recorded, so ranking never asks the catalogue. */
  @Column({ name: 'category_id', type: 'bigint', nullable: true })
  categoryId!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  query!: string | null;

  @Column({ name: 'session_id', type: 'varchar', length: 64 })
  sessionId!: string;

  /** Case-sensitive: clients generate these and `a1` and `A1` are different events. */
  @Column({ name: 'client_event_id', type: 'varchar', length: 64, collation: 'utf8mb4_bin' })
  clientEventId!: string;

  /** The slate a CLICK, CART or PURCHASE came from, which credits the policy that showed it. */
  @Column({ name: 'recommendation_id', type: 'char', length: 36, nullable: true })
  recommendationId!: string | null;

  /**
   * A verified PURCHASE's value: unit price times quantity from the shop's signed order (revenue per
   * shopper in experiments). A purchase a client reports has none.
   */
  @Column({ type: 'decimal', precision: 12, scale: 2, nullable: true })
  value!: string | null;

  /** 1 for a PURCHASE from a signed order (the order webhook), 0 for anything a client sent. */
  @Column({ type: 'tinyint', default: 0 })
  verified!: number;

  /**
   * 1 when the event counts towards shared statistics (popularity, co-occurrence, transitions,
   * bandit rewards): it is one of the shopper's first events of its type on its product in its
   * period (event/contribution-cap.ts). Decided when it is recorded; rebuilds read it.
   */
  @Column({ type: 'tinyint', default: 1 })
  counted!: number;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;
}
