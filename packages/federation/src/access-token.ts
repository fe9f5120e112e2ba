import jwt from 'jsonwebtoken';
import type { Role } from './identity';

/** Shopper sessions: HS256 JWTs issued by the user subgraph and verified by the gateway. */
const ISSUER = 'serendip';
const AUDIENCE = 'serendip-api';

export interface AccessToken {
  token: string;
  expiresAt: Date;
}

export function signAccessToken(secret: string, userId: string, roles: Role[], ttlSeconds: number): AccessToken {
  const token = jwt.sign({ roles }, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    subject: userId,
    expiresIn: ttlSeconds,
  });
  return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}

export type AccessTokenResult = { ok: true; userId: string; roles: Role[] } | { ok: false; reason: 'expired' | 'invalid' };

export function verifyAccessToken(secret: string, token: string): AccessTokenResult {
  try {
    const claims = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }) as jwt.JwtPayload;
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles)) return { ok: false, reason: 'invalid' };
    const roles = claims.roles.filter((role): role is Role => role === 'shopper' || role === 'admin');
    return { ok: true, userId: claims.sub, roles };
  } catch (error) {
    return { ok: false, reason: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
  }
}
