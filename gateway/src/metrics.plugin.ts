import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { boundedLabel, type ServiceMetrics } from '@serendip/federation';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';

const isIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/** What is known of one HTTP request while it runs. */
interface Started {
  end: (labels: { operation: string }) => number;
  operation: string | undefined;
}

/** Which way an operation reached the gateway. */
export type Transport = 'http' | 'websocket';

export interface GatewayMetrics {
  /** Counts HTTP requests, their latency and errors, and subgraph calls. */
  plugin: GatewayPlugin;
  /**
   * Counts one operation over a WebSocket in the same request and error series as HTTP ones:
   * `stream` for a subscription, otherwise the errors of its result (none: ok), or those it was
   * refused with.
   */
  socketOperation(operation: string | undefined, result: 'stream' | readonly Pick<GraphQLFormattedError, 'extensions'>[]): void;
}

/**
 * Request rate, latency and errors of the gateway's GraphQL operations, and the latency of each
 * subgraph call their plans make:
 * - `serendip_gateway_requests_total{operation,transport,outcome}` (transport http or websocket;
 *   outcome ok, error: any error in the response; stream: a subscription, over SSE or a WebSocket),
 * - `serendip_gateway_request_duration_seconds{operation}`, from an HTTP request's arrival to its
 *   result (a stream's first),
 * - `serendip_gateway_errors_total{code}`, by `extensions.code` as the client sees it (after
 *   `codedGatewayErrors`; requests refused before execution, by the rate limits or the trusted
 *   documents, included),
 * - `serendip_gateway_subgraph_duration_seconds{subgraph,outcome}`.
 * Operation names come from the request or its document: a trusted document's, or an admin's
 * own, which `boundedLabel` caps. Operations over WebSockets are counted by `serveGraphqlWs`
 * through `socketOperation`; subscriptions and pushes by their own series there.
 */
export function gatewayMetrics(metrics: ServiceMetrics): GatewayMetrics {
  const requests = metrics.counter({
    name: 'serendip_gateway_requests_total',
    help: 'GraphQL operations by operation name, transport (http, websocket) and outcome (ok, error, stream).',
    labelNames: ['operation', 'transport', 'outcome'],
  });
  const duration = metrics.histogram({
    name: 'serendip_gateway_request_duration_seconds',
    help: 'Time from a GraphQL request arriving to its result, by operation name.',
    labelNames: ['operation'],
  });
  const errors = metrics.counter({
    name: 'serendip_gateway_errors_total',
    help: 'Errors in GraphQL responses over HTTP and WebSockets, by extensions.code.',
    labelNames: ['code'],
  });
  const subgraphDuration = metrics.histogram({
    name: 'serendip_gateway_subgraph_duration_seconds',
    help: 'Time of each call the gateway makes to a subgraph, by subgraph and outcome (ok, error).',
    labelNames: ['subgraph', 'outcome'],
  });
  const operationLabel = boundedLabel();
  const started = new WeakMap<Request, Started>();
  const count = (operation: string, transport: Transport, result: 'stream' | readonly Pick<GraphQLFormattedError, 'extensions'>[]) => {
    if (result === 'stream') {
      requests.inc({ operation, transport, outcome: 'stream' });
      return;
    }
    for (const error of result) errors.inc({ code: typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR' });
    requests.inc({ operation, transport, outcome: result.length > 0 ? 'error' : 'ok' });
  };
  const plugin: GatewayPlugin = {
    onRequest: ({ request }) => {
      started.set(request, { end: duration.startTimer(), operation: undefined });
    },
    onParams: ({ params, request }) => {
      const entry = started.get(request);
      if (entry && params.operationName) entry.operation = params.operationName;
    },
    // Without an operationName in the request (a trusted document's id, a lone operation), the
    // parsed document names it; read before validation, which may refuse it.
    onValidate: ({ params, context }) => {
      const request = (context as { request?: Request }).request;
      const entry = request && started.get(request);
      if (entry && !entry.operation) entry.operation = getOperationAST(params.documentAST as DocumentNode)?.name?.value;
    },
    onResultProcess: ({ request, result }) => {
      const entry = started.get(request);
      if (!entry) return;
      // Once per request, although a batch or a stream may pass here more than once.
      started.delete(request);
      const operation = operationLabel(entry.operation ?? 'anonymous');
      entry.end({ operation });
      count(
        operation,
        'http',
        isIterable(result) ? 'stream' : (Array.isArray(result) ? result : [result]).flatMap((single: ExecutionResult) => single.errors ?? []),
      );
    },
    onSubgraphExecute: ({ subgraphName }) => {
      const end = subgraphDuration.startTimer({ subgraph: subgraphName });
      return ({ result }) => {
        // A subscription's events are pushed for as long as it runs: no call time to measure.
        if (isIterable(result)) return;
        end({ outcome: result.errors?.length ? 'error' : 'ok' });
      };
    },
  };
  return { plugin, socketOperation: (operation, result) => count(operationLabel(operation ?? 'anonymous'), 'websocket', result) };
}
