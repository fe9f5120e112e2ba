import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { SQL_STATEMENTS_EXTENSION } from '@serendip/federation';
import type { ExecutionResult } from 'graphql';

const isIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/**
 * Outside production, subgraphs say in `extensions.sqlStatements` how many SQL statements each
 * call cost (`requestStatements`). This adds them up per subgraph over the calls an operation made
 * and hands the client `extensions.sqlStatements: { catalogue: 3, feedback: 2 }`, so an end-to-end
 * test counts its own request's statements, whatever else the stack is doing. A subgraph the
 * operation did not call is absent (it sent nothing for it).
 */
export function subgraphStatements(): GatewayPlugin {
  const byOperation = new WeakMap<object, Record<string, number>>();
  return {
    onSubgraphExecute: ({ executionRequest, subgraphName }) => {
      const context = executionRequest.context as object | undefined;
      if (!context) return;
      return ({ result }) => {
        if (isIterable(result)) return;
        const statements: unknown = result.extensions?.[SQL_STATEMENTS_EXTENSION];
        if (typeof statements !== 'number') return;
        const counts = byOperation.get(context) ?? {};
        counts[subgraphName] = (counts[subgraphName] ?? 0) + statements;
        byOperation.set(context, counts);
      };
    },
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        const counts = byOperation.get(args.contextValue as object);
        if (!counts || isIterable(result)) return;
        const single = result as ExecutionResult;
        setResult({ ...single, extensions: { ...single.extensions, [SQL_STATEMENTS_EXTENSION]: counts } });
      },
    }),
  };
}
