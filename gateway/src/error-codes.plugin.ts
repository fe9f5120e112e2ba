import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { CLIENT_ERROR_CODES, ErrorCode } from '@serendip/federation';
import { GraphQLError } from 'graphql';
import { logger } from '@serendip/telemetry';

/** The error with `extensions.code` set (kept when it has one); a plain Error (a validation rule may throw one) becomes a GraphQLError. */
function withCode(raised: Error, code: string): GraphQLError {
  const error = raised instanceof GraphQLError ? raised : new GraphQLError(raised.message, { originalError: raised });
  if (typeof error.extensions?.code === 'string') return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

/** graphql-js's "Did you mean …?" hints, which name fields and types of the schema. */
const SUGGESTION = / ?Did you mean .*\?$/;

/** The error without its schema hint, coded as before. */
function withoutSuggestion(error: GraphQLError): GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * What the gateway codes a subgraph request that got no answer: the HTTP transport's refused or
 * reset connection, and the upstream timeout's deadline passed (`upstream.ts`); an answer's error
 * without a code of its own becomes DOWNSTREAM_SERVICE_ERROR instead.
 */
const NO_ANSWER: ReadonlySet<unknown> = new Set(['SUBREQUEST_HTTP_ERROR', 'GATEWAY_TIMEOUT']);

/**
 * A subgraph's error as a client may see it. Ours mask everything unexpected already
 * (`formatError`), but the gateway does not rely on that: an error without a client code (a
 * subgraph's unmasked driver error, a transport failure naming an address) is logged and replaced
 * by a neutral one, and what the transport adds (the subgraph's name, the request it sent, any
 * stack trace) is dropped from the rest.
 */
function forClient(error: GraphQLError): GraphQLError {
  const code = error.extensions?.code;
  const { stacktrace: _stack, serviceName: _service, request: _request, ...extensions } = error.extensions ?? {};
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
  }
  logger().error({ subgraph: error.extensions?.serviceName }, `subgraph error: ${error.message}`);
  const unanswered = NO_ANSWER.has(code);
  return new GraphQLError(unanswered ? 'A service this request needs is not answering; try again shortly' : 'Internal server error', {
    path: error.path,
    extensions: { code: unanswered ? ErrorCode.Unavailable : ErrorCode.Internal },
  });
}

/**
 * Every error a client sees carries `extensions.code`. Errors raised by the gateway itself before
 * any subgraph is called (parse, validation including the depth and token limits, variable
 * coercion) get the same codes Apollo servers use, so clients branch on codes, not messages.
 * Without `suggestions` (production), validation errors lose graphql-js's "Did you mean …?"
 * hints: with introspection off they would still spell out the schema field by field.
 */
export function codedGatewayErrors({ suggestions }: { suggestions: boolean }): GatewayPlugin {
  return {
    onParse:
      () =>
      ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError) replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      },
    onValidate:
      () =>
      ({ valid, result, setResult }) => {
        if (valid) return;
        const coded = result.map((error: Error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        setResult(suggestions ? coded : coded.map(withoutSuggestion));
      },
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        if (!('errors' in result) || !result.errors?.length) return;
        // Errors without a path were raised before execution started: bad variable values. Those
        // with one come from resolving fields, that is from the subgraphs.
        const errors = result.errors.map((error: GraphQLError) => (error.path ? forClient(error) : withCode(error, 'BAD_USER_INPUT')));
        setResult({ ...result, errors });
      },
    }),
  };
}
