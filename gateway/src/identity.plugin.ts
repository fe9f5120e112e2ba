import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ANONYMOUS, IDENTITY_LIFETIME_SECONDS, signIdentity, verifyAccessToken, type Identity } from '@serendip/federation';

/**
 * Context field holding the signed identity of the operation, for transports that cannot take
 * headers per call: the subscription WebSocket to a subgraph sends it in its connection params.
 */
export const IDENTITY_CONTEXT_FIELD = 'serendipIdentity';

/** Signed identities are renewed at half their lifetime, so a long subscription's later subgraph calls carry a valid one. */
const RENEW_AFTER_MS = (IDENTITY_LIFETIME_SECONDS * 1000) / 2;

interface Signed {
  identity: Identity;
  token: string;
  renewAt: number;
}

export type Identified = { identity: Identity } | { error: string };

/**
 * Verifies the shopper's bearer token once per request (per connection for WebSockets) and signs
 * the resulting identity for the subgraphs. A missing token means an anonymous visitor; a
 * malformed or expired one is refused outright (401, UNAUTHENTICATED) rather than silently
 * downgraded to anonymous.
 */
export class IdentityForwarding {
  private readonly signed = new WeakMap<Request, Signed>();

  constructor(
    private readonly jwtSecret: string,
    private readonly gatewaySecret: string,
  ) {}

  plugin(): GatewayPlugin {
    return {
      onRequest: (payload) => {
        const { request, fetchAPI } = payload;
        const result = this.identify(request.headers.get('authorization'));
        if ('error' in result) {
          payload.endResponse(
            new fetchAPI.Response(JSON.stringify({ errors: [{ message: result.error, extensions: { code: 'UNAUTHENTICATED' } }] }), {
              status: 401,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            }),
          );
          return;
        }
        this.remember(request, result.identity);
      },
      onContextBuilding: ({ context, extendContext }) => {
        extendContext({ [IDENTITY_CONTEXT_FIELD]: this.tokenFor(context.request) });
      },
    };
  }

  /** Header set for each subgraph call; a client-sent identity header is never passed on. */
  headersFor(request: Request): Record<string, string> {
    return { 'x-serendip-identity': this.tokenFor(request) };
  }

  /** The identity the request's operations run as (anonymous until one is verified). */
  identityOf(request: Request): Identity {
    return this.signed.get(request)?.identity ?? ANONYMOUS;
  }

  /** Ties an identity verified elsewhere (a WebSocket's connection init) to the request operations run under. */
  remember(request: Request, identity: Identity): void {
    this.signed.set(request, this.sign(identity));
  }

  identify(authorization: string | null): Identified {
    if (!authorization) return { identity: ANONYMOUS };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) return { error: 'Authorization must be "Bearer <token>"' };
    const verified = verifyAccessToken(this.jwtSecret, match[1]);
    if (!verified.ok) {
      return { error: verified.reason === 'expired' ? 'Session token has expired; sign in again' : 'Session token is not valid' };
    }
    return { identity: { userId: verified.userId, roles: verified.roles } };
  }

  private tokenFor(request: Request): string {
    let signed = this.signed.get(request);
    if (!signed) return signIdentity(this.gatewaySecret, ANONYMOUS);
    if (Date.now() >= signed.renewAt) {
      signed = this.sign(signed.identity);
      this.signed.set(request, signed);
    }
    return signed.token;
  }

  private sign(identity: Identity): Signed {
    return { identity, token: signIdentity(this.gatewaySecret, identity), renewAt: Date.now() + RENEW_AFTER_MS };
  }
}
