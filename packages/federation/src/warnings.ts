import type { ApolloServerPlugin } from '@apollo/server';

/** What a warning says happened; clients branch on it as on error codes. */
export enum WarningCode {
  /** Search answered from lexical matching alone: the semantic side (the worker pool) did not answer. */
  SearchDegraded = 'SEARCH_DEGRADED',
}

/**
 * A notice that an operation succeeded, but not in full: the client gets it in the response's
 * `extensions.warnings` (the gateway gathers those of every subgraph it called), with data.
 */
export interface ResponseWarning {
  code: WarningCode;
  message: string;
  /** The field that answered partially. */
  path: readonly (string | number)[];
}

/** A request context that can carry warnings (any subgraph context: the field is added on first use). */
interface WarningContext {
  warnings?: ResponseWarning[];
}

/** Adds a warning to the response of the request this context belongs to. */
export function warn(ctx: object, warning: ResponseWarning): void {
  ((ctx as WarningContext).warnings ??= []).push(warning);
}

/** Copies the request's warnings into the response's `extensions.warnings`. */
export function responseWarnings<C extends object>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ contextValue, response }) => {
          const { warnings } = contextValue as WarningContext;
          if (warnings?.length && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, warnings };
          }
          return Promise.resolve();
        },
      }),
  };
}
