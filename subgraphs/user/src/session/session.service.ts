import { AppError, ErrorCode, signAccessToken, type SessionRevocations } from '@serendip/federation';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { IsNull, type DataSource, type Repository } from 'typeorm';
import { UserEntity } from '../user/user.entity';
import { SessionEntity } from './session.entity';
import { announce, type TokenVersions } from './token-versions';

export interface SessionSettings {
  jwtSecret: string;
  /** Access token lifetime: how long an ended session's revocation must be kept. */
  accessTtlSeconds: number;
  /** How long a session may go unrefreshed before it ends by itself. */
  refreshTtlSeconds: number;
}

/** What a sign-in, sign-up or refresh hands the client. */
export interface IssuedSession {
  token: string;
  expiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

const REFRESH_TOKEN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;
const REFRESH_REFUSED = 'Refresh token is not valid; sign in again';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Refresh-hash comparison in constant time, so response times do not reveal how much of a guess matched. */
const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Sessions: each sign-in opens one, holding a refresh token (`<session id>.<secret>`, only its
 * hash stored) that trades for a fresh short-lived access token and a new refresh token. A refresh
 * token used a second time means it was copied: the session ends, for the thief and the owner.
 * Ending sessions and raising an account's token version are also written to Redis, where the
 * gateways refuse revoked access tokens at once instead of when they expire.
 */
export class SessionService {
  private readonly sessions: Repository<SessionEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SessionSettings,
    private readonly revocations: SessionRevocations,
    private readonly versions: TokenVersions,
  ) {
    this.sessions = dataSource.getRepository(SessionEntity);
  }

  async open(user: UserEntity): Promise<IssuedSession> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const refreshExpiresAt = this.refreshExpiry();
    await this.sessions.insert({ id, userId: user.id, refreshHash: sha256(secret), expiresAt: refreshExpiresAt, endedAt: null, refreshedAt: null });
    return this.issue(user, id, secret, refreshExpiresAt);
  }

  /** Trades a refresh token for new tokens, with the account's roles as they are now. */
  async refresh(refreshToken: string): Promise<{ user: UserEntity; session: IssuedSession }> {
    const match = REFRESH_TOKEN.exec(refreshToken);
    if (!match) throw new AppError(ErrorCode.Unauthenticated, REFRESH_REFUSED);
    const [, sessionId, secret] = match as unknown as [string, string, string];
    const outcome = await this.dataSource.transaction(async (manager) => {
      // Locked, so two refreshes with one token cannot both rotate it.
      const session = await manager.findOne(SessionEntity, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
      if (!session || session.endedAt !== null || session.expiresAt.getTime() <= Date.now()) return { refused: true as const };
      if (!sameHash(session.refreshHash, sha256(secret))) {
        await manager.update(SessionEntity, { id: sessionId }, { endedAt: new Date() });
        return { refused: true as const, reused: session };
      }
      const user = await manager.findOneByOrFail(UserEntity, { id: session.userId });
      const next = randomBytes(32).toString('base64url');
      const refreshExpiresAt = this.refreshExpiry();
      await manager.update(SessionEntity, { id: sessionId }, { refreshHash: sha256(next), refreshedAt: new Date(), expiresAt: refreshExpiresAt });
      return { refused: false as const, user, secret: next, refreshExpiresAt };
    });
    if (outcome.refused) {
      // The access tokens of a session whose refresh token was copied end too, not only its refreshes.
      if (outcome.reused) await this.announceEnded(outcome.reused.userId, sessionId);
      throw new AppError(ErrorCode.Unauthenticated, REFRESH_REFUSED);
    }
    return { user: outcome.user, session: this.issue(outcome.user, sessionId, outcome.secret, outcome.refreshExpiresAt) };
  }

  /** Sign-out: ends the session the caller's token belongs to. False when it had already ended. */
  async end(userId: string, sessionId: string): Promise<boolean> {
    const { affected } = await this.sessions.update({ id: sessionId, userId, endedAt: IsNull() }, { endedAt: new Date() });
    // Announced even when the row had already ended: a sign-out whose announcement failed is retried this way.
    await this.announceEnded(userId, sessionId);
    return (affected ?? 0) > 0;
  }

  /** Sign-out everywhere: ends every session of the account and revokes all its access tokens. */
  async endAll(userId: string): Promise<number> {
    const { affected } = await this.sessions.update({ userId, endedAt: IsNull() }, { endedAt: new Date() });
    await this.versions.raise(userId);
    return affected ?? 0;
  }

  private async announceEnded(userId: string, sessionId: string): Promise<void> {
    await announce(() => this.revocations.endSession(userId, sessionId, this.settings.accessTtlSeconds));
  }

  private issue(user: UserEntity, sessionId: string, secret: string, refreshExpiresAt: Date): IssuedSession {
    const access = signAccessToken(
      this.settings.jwtSecret,
      { userId: user.id, roles: user.roleList(), sessionId, version: user.tokenVersion },
      this.settings.accessTtlSeconds,
    );
    return { token: access.token, expiresAt: access.expiresAt, refreshToken: `${sessionId}.${secret}`, refreshExpiresAt };
  }

  private refreshExpiry(): Date {
    return new Date(Date.now() + this.settings.refreshTtlSeconds * 1000);
  }
}
