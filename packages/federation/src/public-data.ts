import type { ApolloServerPlugin } from '@apollo/server';
import { createRedis, type RedisClient } from '@serendip/config';
import { OperationTypeNode } from 'graphql';
import { logger } from '@serendip/telemetry';
import type { SubgraphName } from './identity';
import { logRedisOutages } from './redis-log';

/**
 * Versions of the subgraphs' public data, one counter per subgraph in one Redis hash
 * (`<prefix>:response-cache:versions`; one key, so one slot on a Redis Cluster too). Whatever
 * writes data that anonymous visitors read (a product, a category, a review, its analysis) bumps
 * its subgraph's counter once the write is stored. The gateway's response cache stamps each answer
 * it keeps with the versions it read before computing it and serves it only while they are still
 * current, so a write is seen by the next request on every gateway without a message to miss.
 */
export class PublicDataVersions {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  /**
   * On a connection of its own, for a process that writes public data and holds no other Redis
   * connection to share. No offline queue: with Redis down a bump fails at once (and is logged)
   * rather than holding up the response that waits for it.
   */
  static open(redisUrl: string, prefix: string): { versions: PublicDataVersions; close: () => void } {
    const redis = logRedisOutages(createRedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }), 'public data versions');
    return { versions: new PublicDataVersions(redis, prefix), close: () => redis.disconnect() };
  }

  get key(): string {
    return `${this.prefix}:response-cache:versions`;
  }

  /**
   * Marks `subgraph`'s public data as changed. A version that cannot be bumped (Redis down) is
   * logged, never thrown: the write it follows is stored, and cached answers that show it stay
   * until their TTL (the gateway's RESPONSE_CACHE_TTL_MS).
   */
  async bump(subgraph: SubgraphName): Promise<void> {
    await this.redis.hincrby(this.key, subgraph, 1).catch((error: unknown) => logger().error({ err: error }, `public data version of ${subgraph} not bumped`));
  }

  /** The current version of each subgraph, in order ('0' where it never changed). */
  async read(subgraphs: readonly SubgraphName[]): Promise<string[]> {
    const versions = await this.redis.hmget(this.key, ...subgraphs);
    return versions.map((version) => version ?? '0');
  }
}

/**
 * Bumps `subgraph`'s public data version after every mutation it ran (whatever it changed, and
 * even when it failed part-way, since a failure may follow a stored write), before the response
 * leaves: the caller, and whoever it tells, then reads the change through any gateway. Mutations
 * come from the gateway and from other subgraphs (`ServiceClient`) alike.
 */
export function publicDataChanges<C extends object>(versions: PublicDataVersions, subgraph: SubgraphName): ApolloServerPlugin<C> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: async ({ operation }) => {
          if (operation?.operation === OperationTypeNode.MUTATION) await versions.bump(subgraph);
        },
      }),
  };
}
