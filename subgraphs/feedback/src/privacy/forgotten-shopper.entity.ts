import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The account id and when it was forgotten: all that is kept of a forgotten shopper here. */
@Entity({ name: 'forgotten_shopper' })
export class ForgottenShopperEntity {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  @Column({ name: 'forgotten_at', type: 'datetime', precision: 3 })
  forgottenAt!: Date;
}
