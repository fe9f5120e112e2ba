import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config';
import { IdentityForwarding } from './identity.plugin';
import { codedGatewayErrors } from './error-codes.plugin';
import { disableIntrospection } from './introspection.plugin';
import { sandboxPage } from './sandbox';
import { loadSupergraph } from './supergraph';

/** Headers that mark a request as coming from a script, not a cross-site form or image tag. */
export const CSRF_HEADERS = ['x-serendip-csrf', 'apollo-require-preflight', 'x-apollo-operation-name', 'graphql-client-name'];

export async function startGateway(config: GatewayConfig) {
  const development = config.NODE_ENV !== 'production';
  const identity = new IdentityForwarding(config.JWT_SECRET, config.GATEWAY_SECRET);
  const gateway = createGatewayRuntime({
    supergraph: loadSupergraph(config),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: false,
    graphiql: development,
    renderGraphiQL: sandboxPage,
    csrfPrevention: { requestHeaders: CSRF_HEADERS },
    propagateHeaders: { fromClientToSubgraphs: ({ request }) => identity.headersFor(request) },
    logging: config.LOG_LEVEL,
    plugins: () => [
      identity.plugin(),
      codedGatewayErrors(),
      maxDepthPlugin({
        n: config.MAX_DEPTH,
        flattenFragments: true,
        // Report as a validation error (coded like the others) instead of throwing out of validate.
        propagateOnRejection: false,
        onReject: [(context, error) => context?.reportError(error)],
      }),
      maxTokensPlugin({ n: config.MAX_TOKENS }),
      ...(development ? [] : [disableIntrospection()]),
    ],
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.GATEWAY_HOST}:${port}/graphql`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.dispose();
    },
  };
}
