import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A signed order the shop sent (the order webhook), one row per order id: a replay of the same
 * order finds its row and writes nothing. Its purchases are rows of `behaviour_event`.
 */
@Entity({ name: 'shop_order' })
@Index('idx_shop_order_user', ['userId'])
export class ShopOrderEntity {
  /** The shop's own order id; case-sensitive, as the shop generates it. */
  @PrimaryColumn({ name: 'order_id', type: 'varchar', length: 64, collation: 'utf8mb4_bin' })
  orderId!: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  /** Order lines recorded as purchases. */
  @Column({ type: 'int' })
  items!: number;

  /** Sum of unit price times quantity over the lines. */
  @Column({ type: 'decimal', precision: 12, scale: 2 })
  total!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'received_at', type: 'datetime', precision: 3 })
  receivedAt!: Date;
}
