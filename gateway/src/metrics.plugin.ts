import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { boundedLabel, type ServiceMetrics } from '@serendip/federation';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';

const isIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/** What is known of one HTTP request while it runs. */
interface Started {
  end: (labels: { operation: string }) => number;
  operation: string | undefined;
}

/**
 * Request rate, latency and errors of the gateway's HTTP GraphQL requests, and the latency of each
 * subgraph call their plans make:
 * - `serendip_gateway_requests_total{operation,outcome}` (ok, error: any error in the response;
 *   stream: a subscription over SSE),
 * - `serendip_gateway_request_duration_seconds{operation}`, from the request's arrival to its
 *   result (a stream's first),
 * - `serendip_gateway_errors_total{code}`, by `extensions.code` as the client sees it (after
 *   `codedGatewayErrors`; requests refused before execution, by the rate limits or the trusted
 *   documents, included),
 * - `serendip_gateway_subgraph_duration_seconds{subgraph,outcome}`.
 * Operation names come from the request or its document: a trusted document's, or an admin's
 * own, which `boundedLabel` caps. Operations over WebSockets are counted by `socketMetrics`.
 */
export function gatewayMetrics(metrics: ServiceMetrics): GatewayPlugin {
  const requests = metrics.counter({
    name: 'serendip_gateway_requests_total',
    help: 'GraphQL requests over HTTP by operation name and outcome (ok, error, stream).',
    labelNames: ['operation', 'outcome'],
  });
  const duration = metrics.histogram({
    name: 'serendip_gateway_request_duration_seconds',
    help: 'Time from a GraphQL request arriving to its result, by operation name.',
    labelNames: ['operation'],
  });
  const errors = metrics.counter({
    name: 'serendip_gateway_errors_total',
    help: 'Errors in GraphQL responses over HTTP, by extensions.code.',
    labelNames: ['code'],
  });
  const subgraphDuration = metrics.histogram({
    name: 'serendip_gateway_subgraph_duration_seconds',
    help: 'Time of each call the gateway makes to a subgraph, by subgraph and outcome (ok, error).',
    labelNames: ['subgraph', 'outcome'],
  });
  const operationLabel = boundedLabel();
  const started = new WeakMap<Request, Started>();
  return {
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
      if (isIterable(result)) {
        requests.inc({ operation, outcome: 'stream' });
        return;
      }
      const sent = (Array.isArray(result) ? result : [result]).flatMap((single: ExecutionResult) => single.errors ?? []);
      for (const error of sent) errors.inc({ code: typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR' });
      requests.inc({ operation, outcome: sent.length > 0 ? 'error' : 'ok' });
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
}
