import { Column, Entity, PrimaryColumn } from 'typeorm';
import { RecommendationSlot } from '../slate/slot';

/** Per slot and product: how often it was shown and what came of it (Thompson sampling's posterior). */
@Entity({ name: 'arm_stat' })
export class ArmStatEntity {
  @PrimaryColumn({ type: 'enum', enum: RecommendationSlot })
  slot!: RecommendationSlot;

  @PrimaryColumn({ name: 'product_id', type: 'bigint' })
  productId!: string;

  @Column({ type: 'int' })
  impressions!: number;

  @Column({ type: 'int' })
  clicks!: number;

  @Column({ type: 'int' })
  purchases!: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
