import jwt from 'jsonwebtoken';
import { hmacKey } from './hmac-key';

/** Header through which the gateway forwards the verified caller to subgraphs. */
export const IDENTITY_HEADER = 'x-serendip-identity';

const ISSUER = 'serendip-gateway';

/** The subgraphs, as the supergraph names them. */
export const SUBGRAPHS = ['user', 'catalogue', 'recommendation', 'feedback'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/**
 * Each subgraph accepts only identities signed for it: one captured on its way to the catalogue
 * cannot be replayed to the user subgraph within its minute.
 */
const audienceOf = (subgraph: SubgraphName): string => `serendip-subgraph:${subgraph}`;
/** Short-lived: a captured header is useless a minute later. */
export const IDENTITY_LIFETIME_SECONDS = 60;

/**
 * `service` is another subgraph calling (ServiceClient): never a shopper's, never given by the
 * gateway (access tokens carry shopper and admin only), and the only role service-only fields take.
 */
export type Role = 'shopper' | 'admin' | 'service';

/** Who is calling, as verified by the gateway. `userId` is null for an anonymous visitor. */
export interface Identity {
  userId: string | null;
  roles: Role[];
  /** The shopper's session (their access token's), which sign-out ends; absent for anonymous visitors and service calls. */
  sessionId?: string;
  /** The calling subgraph, for a service call. */
  service?: SubgraphName;
}

export const ANONYMOUS: Identity = Object.freeze({ userId: null, roles: [] });

/** A visitor without a session: no user, no role, not a service. */
export const isAnonymous = (identity: Identity): boolean => identity.userId === null && identity.roles.length === 0 && !identity.service;

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
  svc?: SubgraphName;
}

/**
 * Signs an identity for a call to `audience`, the subgraph it is for. Only holders of the gateway
 * secret can produce one. Several audiences are for tests that call subgraphs directly.
 */
export function signIdentity(secret: string, identity: Identity, audience: SubgraphName | readonly SubgraphName[]): string {
  const claims: IdentityClaims = {
    roles: identity.roles,
    ...(identity.sessionId ? { sid: identity.sessionId } : {}),
    ...(identity.service ? { svc: identity.service } : {}),
  };
  const audiences = typeof audience === 'string' ? [audience] : audience;
  return jwt.sign(claims, hmacKey(secret), {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: audiences.map(audienceOf),
    expiresIn: IDENTITY_LIFETIME_SECONDS,
    ...(identity.userId ? { subject: identity.userId } : {}),
  });
}

/** Verifies a forwarded identity for `subgraph`; returns null when the header is missing, forged, stale or signed for another subgraph. */
export function verifyIdentity(secret: string, token: string | undefined | null, subgraph: SubgraphName): Identity | null {
  if (!token) return null;
  try {
    const claims = jwt.verify(token, hmacKey(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: audienceOf(subgraph),
    }) as jwt.JwtPayload & IdentityClaims;
    const roles = Array.isArray(claims.roles) ? claims.roles.filter(isRole) : [];
    return {
      userId: typeof claims.sub === 'string' ? claims.sub : null,
      roles,
      ...(typeof claims.sid === 'string' ? { sessionId: claims.sid } : {}),
      ...(typeof claims.svc === 'string' && isSubgraph(claims.svc) ? { service: claims.svc } : {}),
    };
  } catch {
    return null;
  }
}

function isRole(value: unknown): value is Role {
  return value === 'shopper' || value === 'admin' || value === 'service';
}

export function isSubgraph(value: string): value is SubgraphName {
  return (SUBGRAPHS as readonly string[]).includes(value);
}
