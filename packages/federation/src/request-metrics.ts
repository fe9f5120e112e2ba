import type { ApolloServerPlugin } from '@apollo/server';
import { boundedLabel, type ServiceMetrics } from './metrics';

/**
 * GraphQL request latency and errors of a subgraph, from Apollo Server's request lifecycle:
 * `serendip_graphql_request_duration_seconds{operation,outcome}` and
 * `serendip_graphql_errors_total{operation,code}`. Codes are read from the response as sent, after
 * `formatError`, so they are the ones a client sees. Operation names are the gateway's query plan
 * steps, a set bounded by the schema; `boundedLabel` caps them all the same.
 */
export function requestMetrics<C extends object>(metrics: ServiceMetrics): ApolloServerPlugin<C> {
  const duration = metrics.histogram({
    name: 'serendip_graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL request to sending its response, by operation name and outcome (ok, error).',
    labelNames: ['operation', 'outcome'],
  });
  const errors = metrics.counter({
    name: 'serendip_graphql_errors_total',
    help: 'GraphQL errors sent in responses, by operation name and extensions.code.',
    labelNames: ['operation', 'code'],
  });
  const operationLabel = boundedLabel();
  return {
    requestDidStart() {
      const end = duration.startTimer();
      return Promise.resolve({
        willSendResponse({ operationName, response }) {
          const operation = operationLabel(operationName ?? 'anonymous');
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of sent)
            errors.inc({ operation, code: typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR' });
          end({ operation, outcome: sent.length > 0 ? 'error' : 'ok' });
          return Promise.resolve();
        },
      });
    },
  };
}
