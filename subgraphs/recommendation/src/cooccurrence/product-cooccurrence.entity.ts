import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Item-to-item collaborative filtering: how strongly shoppers who engaged with `productId` went
 * on to engage with `otherId` (both directions are stored), kept up to date as events arrive.
 */
@Entity({ name: 'product_cooccurrence' })
@Index('idx_product_cooccurrence_product_weight', ['productId', 'weight'])
export class ProductCooccurrenceEntity {
  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  @PrimaryColumn({ name: 'other_id', type: 'bigint' })
  otherId!: string;

  @Column({ type: 'double' })
  weight!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
