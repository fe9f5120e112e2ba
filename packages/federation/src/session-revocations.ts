import { pubsub, type RedisClient } from '@serendip/config';
import type { AccessClaims } from './access-token';

/** Announced on the revocation channel, so gateways close the subscriptions of the tokens it ends. */
export interface RevocationNotice {
  userId: string;
  /** Set when one session ended; absent when every token of the account below its new version did. */
  sessionId?: string;
}

export type RevocableToken = Pick<AccessClaims, 'userId' | 'sessionId' | 'version'>;

/**
 * Which access tokens have been revoked before they expire, kept in Redis where every gateway
 * checks each request's token. The user subgraph writes; gateways read and listen.
 *
 * - `<prefix>:auth:user:<userId>` holds the account's current token version. A token issued at a
 *   lower version is revoked: raising it ends every token of the account at once (a role change,
 *   sign-out everywhere, forgetting). No key means version 0. The user database keeps the version
 *   too and is authoritative: a write that reaches it and not Redis is repeated by the next change.
 * - `<prefix>:auth:session:<sessionId>` marks one ended session (sign-out). It lives as long as an
 *   access token can, after which the session's tokens have expired anyway.
 */
export class SessionRevocations {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /** The pub/sub channel revocations are announced on. */
  get channel(): string {
    return `${this.prefix}:auth:revoked`;
  }

  /** True when the token's session has ended or the account's version has moved past it. */
  async isRevoked(claims: RevocableToken): Promise<boolean> {
    const [revoked] = await this.revokedAmong([claims]);
    return revoked === true;
  }

  /**
   * The same check for many tokens in one round trip (a gateway's sweep of its open subscriptions),
   * in order. On a cluster the keys lie in many slots, which one MGET may not span: each is read
   * on its own, the reads sent together.
   */
  async revokedAmong(tokens: readonly RevocableToken[]): Promise<boolean[]> {
    if (tokens.length === 0) return [];
    const keys = tokens.flatMap((claims) => [this.userKey(claims.userId), this.sessionKey(claims.sessionId)]);
    const values = this.redis.isCluster ? await Promise.all(keys.map((key) => this.redis.get(key))) : await this.redis.mget(...keys);
    return tokens.map((claims, index) => {
      const version = values[2 * index] ?? null;
      return values[2 * index + 1] !== null || (version !== null && claims.version < Number(version));
    });
  }

  /**
   * Ends one session's access tokens (they live at most `ttlSeconds` more). The notice follows the
   * write, not in one transaction with it: on a cluster the channel's shard need not hold the key.
   * A notice lost between the two is made good by the gateways' sweep.
   */
  async endSession(userId: string, sessionId: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.sessionKey(sessionId), '1', 'EX', ttlSeconds);
    await pubsub.publish(this.redis, this.channel, notice({ userId, sessionId }));
  }

  /**
   * Sets the account's token version, ending its tokens issued at a lower one. `expireSeconds`
   * lets the key go once no token can outlive it (an account that no longer exists).
   */
  async setVersion(userId: string, version: number, expireSeconds?: number): Promise<void> {
    const key = this.userKey(userId);
    if (expireSeconds === undefined) await this.redis.set(key, String(version));
    else await this.redis.set(key, String(version), 'EX', expireSeconds);
    await pubsub.publish(this.redis, this.channel, notice({ userId }));
  }

  private userKey(userId: string): string {
    return `${this.prefix}:auth:user:${userId}`;
  }

  private sessionKey(sessionId: string): string {
    return `${this.prefix}:auth:session:${sessionId}`;
  }
}

const notice = (value: RevocationNotice): string => JSON.stringify(value);

/** A notice read off the channel, or null when the message is not one. */
export function parseRevocationNotice(message: string): RevocationNotice | null {
  try {
    const value = JSON.parse(message) as Partial<RevocationNotice>;
    if (typeof value.userId !== 'string') return null;
    return typeof value.sessionId === 'string' ? { userId: value.userId, sessionId: value.sessionId } : { userId: value.userId };
  } catch {
    return null;
  }
}
