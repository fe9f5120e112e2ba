import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { isAnonymous, type Identity, type PublicDataVersions, type SubgraphName } from '@serendip/federation';
import type { RedisClient } from '@serendip/config';
import { logger } from '@serendip/telemetry';
import { getOperationAST, Kind, OperationTypeNode, type DocumentNode, type ExecutionResult, type SelectionSetNode } from 'graphql';
import { createHash } from 'node:crypto';

/**
 * The subgraphs whose answers to anonymous visitors depend on nothing but their stored data, and
 * which bump their public data version whenever that data changes (`PublicDataVersions`): every
 * mutation they run, the worker's review analyses, the feedback topics. An answer that needed any
 * other subgraph (the user's `me`, the recommendation's slates, which are personal or logged per
 * serving) is never kept.
 */
export const CACHEABLE_SUBGRAPHS = ['catalogue', 'feedback'] as const satisfies readonly SubgraphName[];
type CacheableSubgraph = (typeof CACHEABLE_SUBGRAPHS)[number];
const isCacheable = (subgraph: string): subgraph is CacheableSubgraph => (CACHEABLE_SUBGRAPHS as readonly string[]).includes(subgraph);

/**
 * Root fields never kept: a search's semantic half answers from the catalogue's vector index, which
 * changes as the worker's embeddings arrive and the index refreshes, with no write of the
 * catalogue's own to bump its version.
 */
const UNCACHED_ROOT_FIELDS = new Set(['searchProducts']);

/** Response header telling whether an anonymous answer came from the cache (`hit`) or was computed (`miss`). */
export const CACHE_HEADER = 'x-serendip-cache';

/** Documents found uncacheable, remembered so their next requests skip the lookup; forgotten all at once past this many. */
const MAX_UNCACHEABLE_DOCUMENTS = 1000;

export interface ResponseCacheOptions {
  redis: RedisClient;
  versions: PublicDataVersions;
  /** Redis key prefix of the deployment (QUEUE_PREFIX), shared by every gateway replica. */
  prefix: string;
  /** How long an answer is kept at most, whatever the versions say. */
  ttlMs: number;
  identityOf: (request: Request) => Identity;
}

/** What is known of one request the cache may answer. */
interface Pending {
  key: string;
  document: string;
  /** The cacheable subgraphs' versions, read before the operation ran. */
  versions: Record<CacheableSubgraph, string>;
  /** The subgraphs its plan called. */
  called: Set<string>;
  outcome: 'hit' | 'miss';
}

/** An answer as kept in Redis: the result, and the versions of the subgraphs it came from. */
interface Entry {
  versions: Partial<Record<CacheableSubgraph, string>>;
  result: ExecutionResult;
}

const isIterable = (result: unknown): result is AsyncIterable<unknown> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Whether the operation selects a root field the cache never keeps, through fragments too. */
function selectsUncachedRootField(document: DocumentNode, selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return UNCACHED_ROOT_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsUncachedRootField(document, selection.selectionSet);
    const fragment = document.definitions.find((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && selectsUncachedRootField(document, fragment.selectionSet);
  });
}

/**
 * A response cache for anonymous visitors' public reads (browsing the catalogue), in Redis, so
 * that every gateway replica serves what any one of them computed:
 * - only for requests without a session (a signed-in request never reads or writes it, so no
 *   answer can carry one shopper's data to another), over HTTP, for queries whose plan called only
 *   `CACHEABLE_SUBGRAPHS` and that came back without errors or extensions (warnings of a degraded
 *   answer, statement counts: what describes one execution is not replayed);
 * - keyed by the operation text (a trusted document's, once the runtime has put it in place of its
 *   id), its operation name and variables;
 * - stamped with the versions of the cacheable subgraphs read before the operation ran, and served
 *   only while the versions of the subgraphs it came from are unchanged: a write bumps its
 *   subgraph's version once stored, so the next request computes afresh, on every replica. A write
 *   that raced the computation leaves it stamped with the version before, so it is never served.
 *   `ttlMs` bounds how long an answer lives whatever the versions say, for a writer that failed to
 *   bump one (Redis down).
 * The lookup runs once the request's identity, rate limits, CSRF check and trusted document have
 * been settled, and before parsing, validation, the cost limits and execution, which a hit skips:
 * its answer was computed from the same text and variables, which passed them. A Redis failure
 * makes a miss, never a failed request.
 */
export function responseCache(options: ResponseCacheOptions): GatewayPlugin {
  const pending = new WeakMap<Request, Pending>();
  const uncacheable = new Set<string>();
  const answerKey = (hash: string) => `${options.prefix}:response-cache:answer:${hash}`;
  const forget = (document: string) => {
    if (uncacheable.size >= MAX_UNCACHEABLE_DOCUMENTS) uncacheable.clear();
    uncacheable.add(document);
  };
  const lookup = async (key: string): Promise<{ entry: Entry | null; versions: Record<CacheableSubgraph, string> } | null> => {
    try {
      const [stored, current] = await Promise.all([options.redis.get(key), options.versions.read(CACHEABLE_SUBGRAPHS)]);
      const versions = Object.fromEntries(CACHEABLE_SUBGRAPHS.map((subgraph, index) => [subgraph, current[index]!])) as Record<CacheableSubgraph, string>;
      return { entry: stored === null ? null : (JSON.parse(stored) as Entry), versions };
    } catch (error) {
      logger().warn({ err: error }, 'response cache unavailable, answering without it');
      return null;
    }
  };
  const requestOf = (context: unknown) => (context as { request?: Request } | undefined)?.request;

  return {
    onParams: async ({ params, request, setResult }) => {
      if (typeof params.query !== 'string' || !isAnonymous(options.identityOf(request))) return;
      const document = sha256(params.query);
      if (uncacheable.has(document)) return;
      const key = answerKey(sha256(`${document}\n${params.operationName ?? ''}\n${JSON.stringify(params.variables ?? {})}`));
      const found = await lookup(key);
      if (!found) return;
      const { entry, versions } = found;
      const fresh = entry !== null && Object.entries(entry.versions).every(([subgraph, version]) => versions[subgraph as CacheableSubgraph] === version);
      pending.set(request, { key, document, versions, called: new Set(), outcome: fresh ? 'hit' : 'miss' });
      if (fresh) setResult(entry.result);
    },
    onSubgraphExecute: ({ subgraphName, executionRequest }) => {
      const request = requestOf(executionRequest.context);
      if (request) pending.get(request)?.called.add(subgraphName);
    },
    onExecute: ({ args }) => {
      const request = requestOf(args.contextValue);
      const state = request && pending.get(request);
      if (!state) return;
      const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
      const operation = getOperationAST(document, operationName);
      if (operation?.operation !== OperationTypeNode.QUERY || selectsUncachedRootField(document, operation.selectionSet)) {
        forget(state.document);
        pending.delete(request);
        return;
      }
      return {
        onExecuteDone: ({ result }) => {
          if (isIterable(result) || result.errors?.length || (result.extensions && Object.keys(result.extensions).length > 0)) return;
          const called = [...state.called];
          if (!called.every(isCacheable)) {
            forget(state.document);
            return;
          }
          const entry: Entry = { versions: Object.fromEntries(called.map((subgraph) => [subgraph, state.versions[subgraph]])), result };
          // Kept in the background: the answer is ready, and a failed write only costs a later miss.
          options.redis
            .set(state.key, JSON.stringify(entry), 'PX', options.ttlMs)
            .catch((error: unknown) => logger().warn({ err: error }, 'response cache write failed'));
        },
      };
    },
    onResponse: ({ request, response }) => {
      const state = pending.get(request);
      if (state) response.headers.set(CACHE_HEADER, state.outcome);
    },
  };
}
