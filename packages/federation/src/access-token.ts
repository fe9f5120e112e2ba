import jwt from 'jsonwebtoken';
import { hmacKey } from './hmac-key';
import type { Role } from './identity';

/**
 * Shopper access tokens: short-lived HS256 JWTs issued by the user subgraph and verified by the
 * gateway. Each names the session it belongs to (`sid`, ended by sign-out) and the account's
 * token version when it was issued (`ver`, raised by role changes, sign-out everywhere and
 * forgetting), so the gateway can refuse it before it expires (see SessionRevocations).
 */
const ISSUER = 'serendip';
const AUDIENCE = 'serendip-api';

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

/** What an access token says about its holder. */
export interface AccessClaims {
  userId: string;
  roles: Role[];
  sessionId: string;
  /** The account's token version at issue; a token below the account's current one is revoked. */
  version: number;
}

export function signAccessToken(secret: string, claims: AccessClaims, ttlSeconds: number): AccessToken {
  const token = jwt.sign({ roles: claims.roles, sid: claims.sessionId, ver: claims.version }, hmacKey(secret), {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: claims.userId,
    expiresIn: ttlSeconds,
  });
  return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}

export type AccessTokenResult = ({ ok: true; expiresAt: Date } & AccessClaims) | { ok: false; reason: 'expired' | 'invalid' };

export function verifyAccessToken(secret: string, token: string): AccessTokenResult {
  try {
    const claims = jwt.verify(token, hmacKey(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }) as jwt.JwtPayload;
    // A token without a session or version (issued before sessions existed) cannot be revoked, so it is not accepted.
    if (
      typeof claims.sub !== 'string' ||
      !Array.isArray(claims.roles) ||
      typeof claims.sid !== 'string' ||
      !Number.isSafeInteger(claims.ver) ||
      typeof claims.exp !== 'number'
    ) {
      return { ok: false, reason: 'invalid' };
    }
    const roles = claims.roles.filter((role): role is Role => role === 'shopper' || role === 'admin');
    return { ok: true, userId: claims.sub, roles, sessionId: claims.sid, version: claims.ver as number, expiresAt: new Date(claims.exp * 1000) };
  } catch (error) {
    return { ok: false, reason: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
  }
}
