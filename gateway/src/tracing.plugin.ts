import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { context as otelContext, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { markGraphqlErrors, markGraphqlSpan } from '@serendip/federation';
import { currentRequestId, injectTraceContext, REQUEST_ID_HEADER, tracer } from '@serendip/telemetry';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';

const isIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/**
 * The gateway's spans, under the server span `serveTraced` starts for each HTTP request:
 * - the request's span is named after its operation (`graphql mutation SubmitReview`) and marked
 *   failed when the response holds errors;
 * - each call a query plan makes to a subgraph gets a client span `subgraph <name>`, and the
 *   subgraph's HTTP request carries its `traceparent` (and the request's `x-request-id`), so the
 *   subgraph's span is its child.
 * With tracing off every span is the API's no-op one and no header is added.
 */
export function gatewayTracing(): GatewayPlugin {
  /** The span of each subgraph call, for its done hook (which runs outside the call's context). */
  const subgraphSpans = new WeakMap<object, Span>();
  return {
    instrumentation: {
      // Wraps the subgraph call (its hooks and fetch included) in its span, made active so that
      // `onFetch` below injects the span's own context.
      subgraphExecute: async ({ executionRequest, subgraphName }, wrapped) => {
        const span = tracer().startSpan(`subgraph ${subgraphName}`, {
          kind: SpanKind.CLIENT,
          attributes: {
            'graphql.subgraph.name': subgraphName,
            ...(executionRequest.operationName ? { 'graphql.operation.name': executionRequest.operationName } : {}),
          },
        });
        subgraphSpans.set(executionRequest, span);
        try {
          await otelContext.with(trace.setSpan(otelContext.active(), span), wrapped);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    },
    onParams: ({ params }) => {
      if (params.operationName) markGraphqlSpan(trace.getActiveSpan(), { name: params.operationName });
    },
    // The document's own name and type (a trusted document's id names neither in the request).
    onValidate: ({ params }) => {
      const operation = getOperationAST(params.documentAST as DocumentNode);
      if (operation) markGraphqlSpan(trace.getActiveSpan(), { type: operation.operation, name: operation.name?.value });
    },
    onResultProcess: ({ result }) => {
      if (isIterable(result)) return;
      markGraphqlErrors(
        trace.getActiveSpan(),
        (Array.isArray(result) ? result : [result]).flatMap((single: ExecutionResult) => single.errors ?? []),
      );
    },
    onSubgraphExecute: ({ executionRequest }) => {
      return ({ result }) => {
        if (isIterable(result)) return;
        markGraphqlErrors(subgraphSpans.get(executionRequest), result.errors ?? []);
      };
    },
    onFetch: (payload) => {
      const carrier = injectTraceContext();
      const requestId = currentRequestId();
      if (!carrier && !requestId) return;
      const { options } = payload;
      payload.setOptions({ ...options, headers: { ...options.headers, ...carrier, ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) } });
    },
  };
}
