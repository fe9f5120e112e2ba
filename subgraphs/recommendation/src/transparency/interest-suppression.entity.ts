import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An interest the shopper removed: its direction stays out of their profile until they forget it all. */
@Entity({ name: 'interest_suppression' })
@Index('idx_interest_suppression_user', ['userId'])
export class InterestSuppressionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  /** base64 float32 (encodeVector), the removed interest's centroid. */
  @Column({ type: 'text' })
  centroid!: string;

  /** The label the shopper saw when they removed it. */
  @Column({ type: 'varchar', length: 200 })
  label!: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
