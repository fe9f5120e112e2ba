import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isDatabaseUnreachable, isPoolExhausted } from '@serendip/db';
import { logger } from '@serendip/telemetry';

/**
 * Every error a client may see carries one of these codes in `extensions.code`. Anything else is
 * reported as INTERNAL_SERVER_ERROR with a neutral message, never a stack trace or SQL text.
 */
export enum ErrorCode {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  /** A service this request depends on did not answer; retrying later may succeed. */
  Unavailable = 'SERVICE_UNAVAILABLE',
  /** The analyst's differential-privacy budget cannot pay for this release; it never refills by retrying. */
  PrivacyBudgetExhausted = 'PRIVACY_BUDGET_EXHAUSTED',
  Internal = 'INTERNAL_SERVER_ERROR',
}

/** A domain error: thrown by services, mapped to a coded GraphQL error in one place. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, client-safe detail such as the offending field. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (message: string, field?: string) => new AppError(ErrorCode.BadUserInput, message, field ? { field } : {});
export const notFound = (what: string, id: string) => new AppError(ErrorCode.NotFound, `${what} ${id} does not exist`, { id });

/**
 * Codes a client may see with their message: ours, and those graphql-js and Apollo Server attach
 * themselves. The gateway passes on a subgraph's error only with one of them. Not
 * INTERNAL_SERVER_ERROR: Apollo Server gives that code to every unexpected error, whose message
 * may be a driver's (SQL text); an AppError of that code is handled before this list is read.
 */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.Internal),
]);

/**
 * Apollo Server `formatError`: the single place where errors become what a client sees.
 * Unknown errors are logged in full here and replaced by a neutral message.
 */
export function formatError(formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(raw);
  if (original instanceof AppError) {
    return {
      message: original.message,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { code: original.code, ...original.details },
    };
  }
  if (isPoolExhausted(original)) {
    // Overload, not a fault: the client may try again, and the log needs no stack per request.
    logger().warn('database pool full: request refused');
    return {
      message: 'The service is busy; try again shortly',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.Unavailable },
    };
  }
  if (isDatabaseUnreachable(original)) {
    // The database is restarting or unreachable: the request may work shortly, and a stack per
    // request while it is away would bury the one line that matters.
    logger().warn(`database unreachable (${String((original as { message?: unknown }).message)}): request refused`);
    return {
      message: 'The service is unavailable just now; try again shortly',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.Unavailable },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger().error({ err: original }, 'unexpected error');
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.Internal },
  };
}
