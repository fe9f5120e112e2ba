import { AppError, ErrorCode, type SessionRevocations } from '@serendip/federation';
import type { DataSource, Repository } from 'typeorm';
import { UserEntity } from '../user/user.entity';

/** A revocation the gateways did not hear of is not done: the caller is told to try again (each write is idempotent). */
export async function announce(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch {
    throw new AppError(ErrorCode.Unavailable, 'Sessions cannot be changed right now; nothing was lost, try again shortly');
  }
}

/**
 * Each account's token version, in the user database (authoritative) and in Redis (where the
 * gateways check it). Raising it revokes every access token the account holds; its refresh tokens
 * stay good and fetch tokens with the account's roles as they are now. Used by role changes (the
 * operator's command too, so it needs no JWT secret), sign-out everywhere and forgetting.
 */
export class TokenVersions {
  private readonly users: Repository<UserEntity>;

  constructor(
    dataSource: DataSource,
    private readonly revocations: SessionRevocations,
    /** Access token lifetime: how long a deleted account's version must be kept. */
    private readonly accessTtlSeconds: number,
  ) {
    this.users = dataSource.getRepository(UserEntity);
  }

  /** Returns the new version. */
  async raise(userId: string): Promise<number> {
    await this.users.increment({ id: userId }, 'tokenVersion', 1);
    return this.announce(userId);
  }

  /**
   * Tells the gateways the account's version as stored. A change whose announcement failed is
   * repeated by calling again, which lands here even when the database has nothing left to change.
   */
  async announce(userId: string): Promise<number> {
    const user = await this.users.findOne({ select: { id: true, tokenVersion: true }, where: { id: userId } });
    if (!user) throw new AppError(ErrorCode.NotFound, 'This account does not exist');
    await announce(() => this.revocations.setVersion(userId, user.tokenVersion));
    return user.tokenVersion;
  }

  /**
   * For an account just deleted: its version key only has to outlive the access tokens issued
   * before, so it is given their lifetime. A failure leaves the key in place, which is harmless.
   */
  async forget(userId: string, version: number): Promise<void> {
    await this.revocations.setVersion(userId, version, this.accessTtlSeconds).catch(() => undefined);
  }
}
