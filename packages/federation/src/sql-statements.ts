import type { ApolloServerPlugin } from '@apollo/server';
import type { QueryCounter } from '@serendip/db';

/** The response extension that carries a request's own SQL statement count (outside production). */
export const SQL_STATEMENTS_EXTENSION = 'sqlStatements';

/**
 * Puts the SQL statements this request sent (`QueryCounter.measure` around the HTTP request) in
 * the response's `extensions.sqlStatements`. A test that proves a page costs a constant number of
 * statements reads this rather than the process-wide counter on `/metrics`, which also counts
 * whatever background upkeep ran meanwhile. Left out in production: it says nothing a client needs.
 */
export function requestStatements<C extends object>(counter: Pick<QueryCounter, 'current'>): ApolloServerPlugin<C> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ response }) => {
          const statements = counter.current;
          if (statements !== null && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, [SQL_STATEMENTS_EXTENSION]: statements };
          }
          return Promise.resolve();
        },
      }),
  };
}
