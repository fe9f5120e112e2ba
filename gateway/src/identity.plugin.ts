import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  ANONYMOUS,
  IDENTITY_LIFETIME_SECONDS,
  isAnonymous,
  isSubgraph,
  signIdentity,
  verifyAccessToken,
  type Identity,
  type RevocableToken,
  type SessionRevocations,
  type SubgraphName,
} from '@serendip/federation';

/**
 * Context field holding the operation's identity signed for the recommendation subgraph, for the
 * one transport that cannot take headers per call: the subscription WebSocket to that subgraph
 * (the only one with subscriptions) sends it in its connection params.
 */
export const IDENTITY_CONTEXT_FIELD = 'serendipIdentity';
const SUBSCRIPTIONS_SUBGRAPH: SubgraphName = 'recommendation';

/** Signed identities are renewed at half their lifetime, so a long subscription's later subgraph calls carry a valid one. */
const RENEW_AFTER_MS = (IDENTITY_LIFETIME_SECONDS * 1000) / 2;

/** An operation's identity, and its signature for each subgraph called so far (each accepts only its own). */
interface Signed {
  identity: Identity;
  tokens: Map<SubgraphName, { token: string; renewAt: number }>;
}

/** Why a bearer token was refused, in `extensions.reason`: EXPIRED and REVOKED tell a client to refresh it. */
export type Refusal = 'INVALID' | 'EXPIRED' | 'REVOKED' | 'UNVERIFIABLE';

/** A verified bearer token: what it may do, and what can end it. */
export interface Session {
  token: RevocableToken;
  expiresAt: Date;
}

export type Identified = { identity: Identity; session?: Session } | { error: string; reason: Refusal };

const REFUSALS: Record<Refusal, { status: number; code: string }> = {
  INVALID: { status: 401, code: 'UNAUTHENTICATED' },
  EXPIRED: { status: 401, code: 'UNAUTHENTICATED' },
  REVOKED: { status: 401, code: 'UNAUTHENTICATED' },
  // The token may be good; it cannot be checked against revocations now (Redis is down).
  UNVERIFIABLE: { status: 503, code: 'SERVICE_UNAVAILABLE' },
};

/**
 * Verifies the shopper's bearer token once per request (per connection for WebSockets), checks
 * that it has not been revoked (sign-out, role change, forgotten account: SessionRevocations in
 * Redis), and signs the resulting identity for the subgraphs. A missing token means an anonymous
 * visitor; a malformed, expired or revoked one is refused outright (401, UNAUTHENTICATED, with
 * the reason) rather than silently downgraded to anonymous. When revocations cannot be read the
 * token is refused with 503: a revoked token must not pass because Redis is down.
 */
export class IdentityForwarding {
  private readonly signed = new WeakMap<Request, Signed>();
  /** Each HTTP request's bearer token, verified once (`bearerOf`), and its revocation check (`identified`), begun once. */
  private readonly bearers = new WeakMap<Request, Identified>();
  private readonly checks = new WeakMap<Request, Promise<Identified>>();
  /**
   * Anonymous visitors all carry the same identity, so one token per subgraph serves every one of
   * their requests, renewed as one request's own would be, instead of one signed for each
   * subgraph call of each visitor's request (docs/operations.md#browsing-throughput).
   */
  private readonly anonymousTokens: Signed['tokens'] = new Map();

  constructor(
    private readonly jwtSecret: string,
    private readonly gatewaySecret: string,
    private readonly revocations: SessionRevocations,
  ) {}

  plugin(): GatewayPlugin {
    return {
      onRequest: async (payload) => {
        const { request, fetchAPI } = payload;
        const result = await this.identified(request);
        if ('error' in result) {
          const { status, code } = REFUSALS[result.reason];
          payload.endResponse(
            new fetchAPI.Response(JSON.stringify({ errors: [{ message: result.error, extensions: { code, reason: result.reason } }] }), {
              status,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            }),
          );
          return;
        }
        this.remember(request, result.identity);
      },
      onContextBuilding: ({ context, extendContext }) => {
        extendContext({ [IDENTITY_CONTEXT_FIELD]: this.tokenFor(context.request, SUBSCRIPTIONS_SUBGRAPH) });
      },
    };
  }

  /** Header set for each subgraph call, signed for that subgraph; a client-sent identity header is never passed on. */
  headersFor(request: Request, subgraphName: string): Record<string, string> {
    // The names come from the committed supergraph; one this code does not know is a build mistake.
    if (!isSubgraph(subgraphName)) throw new Error(`the supergraph names a subgraph "${subgraphName}" that has no identity audience`);
    return { 'x-serendip-identity': this.tokenFor(request, subgraphName) };
  }

  /** The identity the request's operations run as (anonymous until one is verified). */
  identityOf(request: Request): Identity {
    return this.signed.get(request)?.identity ?? ANONYMOUS;
  }

  /** Ties an identity verified elsewhere (a WebSocket's connection init) to the request operations run under. */
  remember(request: Request, identity: Identity): void {
    this.signed.set(request, { identity, tokens: new Map() });
  }

  /** A bearer token checked in full: signature, expiry, then revocations. */
  async identify(authorization: string | null): Promise<Identified> {
    return this.unlessRevoked(this.verify(authorization));
  }

  /**
   * The HTTP request's bearer token with its signature and expiry checked, not yet its revocation:
   * enough to count a shopper's rate limit while the revocations are read. Verified once per request.
   */
  bearerOf(request: Request): Identified {
    let bearer = this.bearers.get(request);
    if (!bearer) {
      bearer = this.verify(request.headers.get('authorization'));
      this.bearers.set(request, bearer);
    }
    return bearer;
  }

  /**
   * The HTTP request's identity checked in full; the revocation read is begun by whichever plugin
   * asks first (the rate limits, so that it runs beside their counts) and shared by the others.
   */
  identified(request: Request): Promise<Identified> {
    let check = this.checks.get(request);
    if (!check) {
      check = this.unlessRevoked(this.bearerOf(request));
      this.checks.set(request, check);
    }
    return check;
  }

  private verify(authorization: string | null): Identified {
    if (!authorization) return { identity: ANONYMOUS };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) return { error: 'Authorization must be "Bearer <token>"', reason: 'INVALID' };
    const verified = verifyAccessToken(this.jwtSecret, match[1]);
    if (!verified.ok) {
      return verified.reason === 'expired'
        ? { error: 'Session token has expired; refresh it or sign in again', reason: 'EXPIRED' }
        : { error: 'Session token is not valid', reason: 'INVALID' };
    }
    const token: RevocableToken = { userId: verified.userId, sessionId: verified.sessionId, version: verified.version };
    return {
      identity: { userId: verified.userId, roles: verified.roles, sessionId: verified.sessionId },
      session: { token, expiresAt: verified.expiresAt },
    };
  }

  /** Never rejects: a revocation read that fails refuses the token as UNVERIFIABLE. */
  private async unlessRevoked(bearer: Identified): Promise<Identified> {
    if ('error' in bearer || !bearer.session) return bearer;
    let revoked: boolean;
    try {
      revoked = await this.revocations.isRevoked(bearer.session.token);
    } catch {
      return { error: 'Sessions cannot be checked right now; try again shortly', reason: 'UNVERIFIABLE' };
    }
    if (revoked) return { error: 'Session token has been revoked; refresh it or sign in again', reason: 'REVOKED' };
    return bearer;
  }

  private tokenFor(request: Request, subgraph: SubgraphName): string {
    const signed = this.signed.get(request);
    const identity = signed?.identity ?? ANONYMOUS;
    const tokens = isAnonymous(identity) ? this.anonymousTokens : signed!.tokens;
    let current = tokens.get(subgraph);
    if (!current || Date.now() >= current.renewAt) {
      current = { token: signIdentity(this.gatewaySecret, identity, subgraph), renewAt: Date.now() + RENEW_AFTER_MS };
      tokens.set(subgraph, current);
    }
    return current.token;
  }
}
