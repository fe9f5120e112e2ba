import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { ExecutionResult } from 'graphql';

const isIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/**
 * Subgraphs report a partial answer (search without its semantic side, say) as
 * `extensions.warnings` beside the data; the gateway otherwise drops subgraphs' response extensions.
 * This gathers the warnings of every subgraph call an operation made and hands them to the client
 * in its own `extensions.warnings`, in the order the calls finished.
 */
export function subgraphWarnings(): GatewayPlugin {
  const byOperation = new WeakMap<object, unknown[]>();
  return {
    onSubgraphExecute: ({ executionRequest }) => {
      const context = executionRequest.context as object | undefined;
      if (!context) return;
      return ({ result }) => {
        // Subscriptions' events are pushed one by one; warnings are for single results.
        if (isIterable(result)) return;
        const warnings: unknown = result.extensions?.warnings;
        if (Array.isArray(warnings) && warnings.length > 0) byOperation.set(context, [...(byOperation.get(context) ?? []), ...(warnings as unknown[])]);
      };
    },
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        const warnings = byOperation.get(args.contextValue as object);
        if (!warnings || isIterable(result)) return;
        const single = result as ExecutionResult;
        setResult({ ...single, extensions: { ...single.extensions, warnings } });
      },
    }),
  };
}
