import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { ANONYMOUS, signIdentity, verifyAccessToken, type Identity } from '@serendip/federation';

/**
 * Verifies the shopper's bearer token once per request and signs the resulting identity for the
 * subgraphs. A missing token means an anonymous visitor; a malformed or expired one is refused
 * outright (401, UNAUTHENTICATED) rather than silently downgraded to anonymous.
 */
export class IdentityForwarding {
  private readonly signed = new WeakMap<Request, string>();

  constructor(
    private readonly jwtSecret: string,
    private readonly gatewaySecret: string,
  ) {}

  plugin(): GatewayPlugin {
    return {
      onRequest: ({ request, endResponse, fetchAPI }) => {
        const result = this.identify(request.headers.get('authorization'));
        if ('error' in result) {
          endResponse(
            new fetchAPI.Response(
              JSON.stringify({ errors: [{ message: result.error, extensions: { code: 'UNAUTHENTICATED' } }] }),
              { status: 401, headers: { 'content-type': 'application/json; charset=utf-8' } },
            ),
          );
          return;
        }
        this.signed.set(request, signIdentity(this.gatewaySecret, result.identity));
      },
    };
  }

  /** Header set for each subgraph call; a client-sent identity header is never passed on. */
  headersFor(request: Request): Record<string, string> {
    return { 'x-serendip-identity': this.signed.get(request) ?? signIdentity(this.gatewaySecret, ANONYMOUS) };
  }

  private identify(authorization: string | null): { identity: Identity } | { error: string } {
    if (!authorization) return { identity: ANONYMOUS };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) return { error: 'Authorization must be "Bearer <token>"' };
    const verified = verifyAccessToken(this.jwtSecret, match[1]);
    if (!verified.ok) {
      return { error: verified.reason === 'expired' ? 'Session token has expired; sign in again' : 'Session token is not valid' };
    }
    return { identity: { userId: verified.userId, roles: verified.roles } };
  }
}
