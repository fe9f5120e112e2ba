import type { GatewayConfigSupergraph } from '@graphql-hive/gateway-runtime';
import { getOperationAST, OperationTypeNode, type DocumentNode } from 'graphql';
import type { GatewayConfig } from './config';

type Subgraph = 'user' | 'catalogue' | 'recommendation' | 'feedback';

const TIMEOUT_SETTINGS = {
  user: 'USER_TIMEOUT_MS',
  catalogue: 'CATALOGUE_TIMEOUT_MS',
  recommendation: 'RECOMMENDATION_TIMEOUT_MS',
  feedback: 'FEEDBACK_TIMEOUT_MS',
} as const satisfies Record<Subgraph, keyof GatewayConfig>;

/** What the runtime hands the timeout and retry options: the subgraph and the request sent to it. */
interface UpstreamRequest {
  subgraphName?: string;
  executionRequest?: { document: DocumentNode; operationName?: string; operationType?: OperationTypeNode };
}

function operationType(request: UpstreamRequest): OperationTypeNode | undefined {
  const execution = request.executionRequest;
  if (!execution) return undefined;
  return execution.operationType ?? getOperationAST(execution.document, execution.operationName)?.operation;
}

/**
 * Each subgraph call's deadline (`<SUBGRAPH>_TIMEOUT_MS`): past it the gateway stops waiting and
 * the fields of that call are null with SERVICE_UNAVAILABLE (`error-codes.plugin.ts`), so a hung
 * subgraph costs a page its fields, not a request that never ends. Subscriptions have none: the
 * runtime would end a live stream when its deadline passed.
 */
export function upstreamTimeout(config: GatewayConfig): NonNullable<GatewayConfigSupergraph['upstreamTimeout']> {
  return (request: UpstreamRequest) => {
    if (operationType(request) === OperationTypeNode.SUBSCRIPTION) return undefined;
    const setting = TIMEOUT_SETTINGS[request.subgraphName as Subgraph] as (typeof TIMEOUT_SETTINGS)[Subgraph] | undefined;
    return setting ? config[setting] : undefined;
  };
}

/**
 * Queries are sent again (`SUBGRAPH_RETRIES` times, `SUBGRAPH_RETRY_DELAY_MS` apart and growing)
 * when a subgraph gave no answer, a 5xx or a 429: reading twice changes nothing. Mutations never
 * are: one that reached the subgraph before the connection broke may have written, and sending it
 * again could write twice.
 */
export function upstreamRetry(config: GatewayConfig): NonNullable<GatewayConfigSupergraph['upstreamRetry']> {
  return (request: UpstreamRequest) =>
    config.SUBGRAPH_RETRIES > 0 && operationType(request) === OperationTypeNode.QUERY
      ? { maxRetries: config.SUBGRAPH_RETRIES, retryDelay: config.SUBGRAPH_RETRY_DELAY_MS }
      : undefined;
}
