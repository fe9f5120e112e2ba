import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '@serendip/federation';

@Entity({ name: 'user' })
export class UserEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Index('uq_user_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16, default: 'en' })
  locale!: string;

  /** Comma-separated roles; a shopper has `shopper`, an admin also `admin`. */
  @Column({ type: 'varchar', length: 64, default: 'shopper' })
  roles!: string;

  /** Null for accounts that cannot sign in (imported demo shoppers). */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'personalisation_consent', type: 'boolean', default: true })
  personalisationConsent!: boolean;

  @Column({ name: 'consent_updated_at', type: 'datetime', precision: 3 })
  consentUpdatedAt!: Date;

  /** Access tokens issued at a lower version are revoked (SessionRevocations); raised by role changes, sign-out everywhere and forgetting. */
  @Column({ name: 'token_version', type: 'int', unsigned: true, default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;

  roleList(): Role[] {
    return this.roles.split(',').filter((role): role is Role => role === 'shopper' || role === 'admin');
  }
}
