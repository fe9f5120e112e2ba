import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A shopper's privacy state as this subgraph enforces it. No row means the account default
 * (personalisation on, as the user subgraph creates accounts); the user subgraph writes a row on
 * every consent change. A forgotten shopper keeps only this row, the account id and when: it stops
 * a still-valid token from writing new data after the account was deleted.
 */
@Entity({ name: 'shopper_privacy' })
export class ShopperPrivacyEntity {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ type: 'tinyint' })
  personalisation!: number;

  @Column({ name: 'forgotten_at', type: 'datetime', precision: 3, nullable: true })
  forgottenAt!: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
