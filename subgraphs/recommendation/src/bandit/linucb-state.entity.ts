import { Column, Entity, PrimaryColumn } from 'typeorm';
import { RecommendationSlot } from '../slate/slot';

/** LinUCB's shared linear model per slot: A (d×d) and b (d) as float64 little-endian. */
@Entity({ name: 'linucb_state' })
export class LinUcbStateEntity {
  @PrimaryColumn({ type: 'enum', enum: RecommendationSlot })
  slot!: RecommendationSlot;

  @Column({ type: 'smallint' })
  dimension!: number;

  @Column({ type: 'blob' })
  a!: Buffer;

  @Column({ type: 'blob' })
  b!: Buffer;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
