import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

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
        // Errors without a path were raised before execution started: bad variable values.
        const errors = result.errors.map((error: GraphQLError) => (error.path ? error : withCode(error, 'BAD_USER_INPUT')));
        setResult({ ...result, errors });
      },
    }),
  };
}
