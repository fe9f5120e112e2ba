import type { ApolloServerPlugin } from '@apollo/server';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { REQUEST_ID_HEADER, requestIdFrom, tracer, withRequestId } from '@serendip/telemetry';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Serves one HTTP request under its request id (the caller's `x-request-id`, or a new one, sent
 * back in the response) and in a server span, the child of the `traceparent` the request carries
 * (the gateway's subgraph call) or a new trace. The span ends when the response is closed; a 5xx
 * marks it failed. Everything `serve` logs carries the request id and the span's ids.
 */
export function serveTraced(req: IncomingMessage, res: ServerResponse, serve: () => Promise<void>): Promise<void> {
  const requestId = requestIdFrom(req.headers[REQUEST_ID_HEADER]);
  res.setHeader(REQUEST_ID_HEADER, requestId);
  const method = req.method ?? 'GET';
  const path = new URL(req.url ?? '/', 'http://server').pathname;
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  return withRequestId(requestId, () =>
    tracer().startActiveSpan(
      `${method} ${path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': path, 'serendip.request_id': requestId } },
      parent,
      (span) => {
        res.once('close', () => {
          span.setAttribute('http.response.status_code', res.statusCode);
          if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        });
        return serve();
      },
    ),
  );
}

/**
 * Names the span of a GraphQL request after its operation (`graphql <type> <name>`) and marks it
 * failed when the response holds errors, with their codes: what a trace view lists first.
 */
export function markGraphqlSpan(span: Span | undefined, operation: { type?: string | undefined; name?: string | undefined }): void {
  if (!span) return;
  span.updateName(['graphql', operation.type, operation.name].filter(Boolean).join(' '));
  if (operation.type) span.setAttribute('graphql.operation.type', operation.type);
  if (operation.name) span.setAttribute('graphql.operation.name', operation.name);
}

/** Records the `extensions.code`s of the errors a response sends on `span`, marking it failed. */
export function markGraphqlErrors(span: Span | undefined, errors: readonly { extensions?: Record<string, unknown> | undefined }[]): void {
  if (!span || errors.length === 0) return;
  const codes = [...new Set(errors.map((error) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR')))];
  span.setAttribute('graphql.error.codes', codes);
  span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
}

/** A subgraph's side of `markGraphqlSpan`/`markGraphqlErrors`, on the span `serveTraced` started. */
export function requestTracing<C extends object>(): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      // The request's span, read once: Apollo's hooks run inside it.
      const span = trace.getActiveSpan();
      return Promise.resolve({
        didResolveOperation({ operation, operationName }) {
          markGraphqlSpan(span, { type: operation?.operation, name: operationName ?? undefined });
          return Promise.resolve();
        },
        willSendResponse({ response }) {
          markGraphqlErrors(span, response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : []);
          return Promise.resolve();
        },
      });
    },
  };
}
