import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../user/user.entity';

/** One signed-in device: what its refresh token must match, and whether it has ended. */
@Entity({ name: 'user_session' })
export class SessionEntity {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Index('ix_user_session_user')
  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId!: string;

  /** Declared for its foreign key alone: deleting an account deletes its sessions with it. */
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_session_user' })
  user?: UserEntity;

  /** SHA-256 (hex) of the current refresh token's secret part; each refresh replaces it. */
  @Column({ name: 'refresh_hash', type: 'char', length: 64 })
  refreshHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt!: Date;

  @Column({ name: 'refreshed_at', type: 'datetime', precision: 3, nullable: true })
  refreshedAt!: Date | null;

  /** Moves forward at each refresh: a session unused for REFRESH_TTL_SECONDS ends by itself. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  /** Set by sign-out, sign-out everywhere, or a refresh token used twice. */
  @Column({ name: 'ended_at', type: 'datetime', precision: 3, nullable: true })
  endedAt!: Date | null;
}
