import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Directed item-to-item transitions: how strongly shoppers who engaged with `productId` went on to
 * engage with `nextId` within a few events (transition-settings.ts), kept up to date as events arrive.
 */
@Entity({ name: 'product_transition' })
@Index('idx_product_transition_product_weight', ['productId', 'weight'])
export class ProductTransitionEntity {
  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  @PrimaryColumn({ name: 'next_id', type: 'bigint' })
  nextId!: string;

  @Column({ type: 'double' })
  weight!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
