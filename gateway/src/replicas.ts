import type http from '@graphql-mesh/transport-http';
import type { GatewayConfig } from './config';
import { SUBGRAPH_URLS } from './supergraph';

/**
 * How long a replica that refused a connection is passed over. After it a call tries it again: a
 * refused connection costs no more than a round trip, so a replica back from a restart gets
 * traffic within this long.
 */
export const REFUSED_REPLICA_PAUSE_MS = 5000;

/**
 * The replicas of one subgraph, as its URL setting lists them (`RECOMMENDATION_URL=http://a/graphql,http://b/graphql`).
 * Calls take them in turn; one that refused a connection is passed over for a while. Replicas
 * share their subgraph's database and Redis (docs/operations.md), so any of them can take any call.
 */
export class ReplicaSet {
  private turn = 0;
  private readonly refusedUntil: number[];

  constructor(
    readonly urls: readonly string[],
    private readonly pauseMs = REFUSED_REPLICA_PAUSE_MS,
    private readonly now: () => number = Date.now,
  ) {
    if (urls.length === 0) throw new Error('a replica set needs at least one URL');
    this.refusedUntil = urls.map(() => 0);
  }

  /** The replica the next call goes to: the next in turn that has not refused a connection lately (the next in turn if all have). */
  pick(): number {
    const start = this.turn;
    this.turn = (this.turn + 1) % this.urls.length;
    return this.firstAvailable(start, new Set()) ?? start;
  }

  /**
   * Sends a call to replica `first` (by default the next in turn) and, while replicas refuse the
   * connection, to each other one, available ones first. A refused connection never reached the
   * replica, so sending again is safe even for a mutation; any other failure is the caller's.
   */
  async send<T>(request: (index: number) => T | PromiseLike<T>, first = this.pick()): Promise<T> {
    const tried = new Set<number>();
    for (let index: number | undefined = first; ;) {
      tried.add(index);
      try {
        return await request(index);
      } catch (error) {
        if (!connectionRefused(error)) throw error;
        this.refusedUntil[index] = this.now() + this.pauseMs;
        index = this.firstAvailable(index, tried) ?? this.urls.findIndex((_, other) => !tried.has(other));
        if (index === -1) throw error;
      }
    }
  }

  private firstAvailable(start: number, tried: ReadonlySet<number>): number | undefined {
    const now = this.now();
    for (let step = 0; step < this.urls.length; step += 1) {
      const index = (start + step) % this.urls.length;
      if (!tried.has(index) && this.refusedUntil[index]! <= now) return index;
    }
    return undefined;
  }
}

/** Whether a fetch failed because nothing accepted the connection (also when Node tried several addresses, or the error wraps it). */
export function connectionRefused(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (code === 'ECONNREFUSED') return true;
  if (Array.isArray(errors) && errors.length > 0 && errors.every(connectionRefused)) return true;
  return cause !== undefined && cause !== error && connectionRefused(cause);
}

/** Each subgraph's replicas, from its URL setting. */
export function subgraphReplicas(config: GatewayConfig): Record<keyof typeof SUBGRAPH_URLS, ReplicaSet> {
  return {
    user: new ReplicaSet(config[SUBGRAPH_URLS.user]),
    catalogue: new ReplicaSet(config[SUBGRAPH_URLS.catalogue]),
    recommendation: new ReplicaSet(config[SUBGRAPH_URLS.recommendation]),
    feedback: new ReplicaSet(config[SUBGRAPH_URLS.feedback]),
  };
}

type HttpTransport = typeof http;
type ExecutorPayload = Parameters<HttpTransport['getSubgraphExecutor']>[0];
type SubgraphExecutor = ReturnType<HttpTransport['getSubgraphExecutor']>;

/**
 * The HTTP transport over a subgraph's replicas: one executor per replica, each call to the next
 * in turn (`ReplicaSet.pick`), and a refused connection sent on to another replica. A subscription
 * is one call, so it runs on the graphql-ws socket of the replica it started on for its whole
 * life: the replica that holds the shopper's Redis channel. Subgraphs with one URL get the
 * transport's own executor.
 */
export function replicatedTransport(transport: HttpTransport, replicas: Readonly<Record<string, ReplicaSet>>): HttpTransport {
  return {
    getSubgraphExecutor(payload: ExecutorPayload): SubgraphExecutor {
      const set = Object.hasOwn(replicas, payload.subgraphName) ? replicas[payload.subgraphName] : undefined;
      if (!set || set.urls.length === 1) return transport.getSubgraphExecutor(payload);
      const { fetch } = payload;
      if (!fetch) throw new Error(`no fetch to reach the replicas of ${payload.subgraphName}`);
      const executors = set.urls.map((location, replica) =>
        transport.getSubgraphExecutor({
          ...payload,
          transportEntry: { ...payload.transportEntry, location },
          // The executor fetches its own replica's URL; on a refusal the same request goes to another's.
          fetch: (url, ...rest) =>
            url.startsWith(location) ? set.send((index) => fetch(set.urls[index] + url.slice(location.length), ...rest), replica) : fetch(url, ...rest),
        }),
      );
      return Object.assign((request: Parameters<SubgraphExecutor>[0]) => executors[set.pick()]!(request), {
        async [Symbol.asyncDispose]() {
          await Promise.all(executors.map((executor) => executor[Symbol.asyncDispose]()));
        },
      });
    },
  };
}
