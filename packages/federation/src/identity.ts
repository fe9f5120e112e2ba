import jwt from 'jsonwebtoken';

/** Header through which the gateway forwards the verified caller to subgraphs. */
export const IDENTITY_HEADER = 'x-serendip-identity';

const ISSUER = 'serendip-gateway';
const AUDIENCE = 'serendip-subgraph';
/** Short-lived: a captured header is useless a minute later. */
export const IDENTITY_LIFETIME_SECONDS = 60;

export type Role = 'shopper' | 'admin';

/** Who is calling, as verified by the gateway. `userId` is null for an anonymous visitor. */
export interface Identity {
  userId: string | null;
  roles: Role[];
  /** The shopper's session (their access token's), which sign-out ends; absent for anonymous visitors and service calls. */
  sessionId?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ userId: null, roles: [] });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A user id in its one canonical form, or null when it cannot name a user. User ids are the user
 * subgraph's UUIDs, issued lowercase; MariaDB's case-insensitive collations take `3F2A…` and
 * `3f2a…` for the same key while a string comparison does not, so an id that keys a row or is
 * compared with another (whose budget, is it the caller's own) goes through here first.
 */
export function canonicalUserId(id: string): string | null {
  const lower = id.toLowerCase();
  return UUID.test(lower) ? lower : null;
}

interface IdentityClaims {
  roles: Role[];
  sub?: string;
  sid?: string;
}

/** Signs an identity for a subgraph call. Only holders of the gateway secret can produce one. */
export function signIdentity(secret: string, identity: Identity): string {
  const claims: IdentityClaims = { roles: identity.roles, ...(identity.sessionId ? { sid: identity.sessionId } : {}) };
  return jwt.sign(claims, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: IDENTITY_LIFETIME_SECONDS,
    ...(identity.userId ? { subject: identity.userId } : {}),
  });
}

/** Verifies a forwarded identity; returns null when the header is missing, forged or stale. */
export function verifyIdentity(secret: string, token: string | undefined): Identity | null {
  if (!token) return null;
  try {
    const claims = jwt.verify(token, secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
    }) as jwt.JwtPayload & IdentityClaims;
    const roles = Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [];
    return {
      userId: typeof claims.sub === 'string' ? claims.sub : null,
      roles,
      ...(typeof claims.sid === 'string' ? { sessionId: claims.sid } : {}),
    };
  } catch {
    return null;
  }
}

function isRole(value: unknown): value is Role {
  return value === 'shopper' || value === 'admin';
}
