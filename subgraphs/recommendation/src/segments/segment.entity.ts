import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The one current segment model (id 1): `SegmentModelJson` and the segments' descriptions, as JSON. */
@Entity({ name: 'segment_model' })
export class SegmentModelEntity {
  @PrimaryColumn({ type: 'tinyint', unsigned: true })
  id!: number;

  @Column({ type: 'mediumtext' })
  model!: string;

  @Column({ type: 'int', unsigned: true })
  shoppers!: number;

  @Column({ name: 'fitted_at', type: 'datetime', precision: 3 })
  fittedAt!: Date;
}

/** A consenting shopper's segment as of the last fit. */
@Entity({ name: 'shopper_segment' })
export class ShopperSegmentEntity {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ type: 'smallint', unsigned: true })
  segment!: number;

  @Column({ name: 'assigned_at', type: 'datetime', precision: 3 })
  assignedAt!: Date;
}
