import { createRedis, pubsub, type RedisClient } from '@serendip/config';
import { logRedisOutages } from '@serendip/federation';
import { Topic } from '@serendip/jobs';
import type { InterestAnnouncer } from './interest-sources';

/** Announces interest updates on the shopper's Redis pub/sub topic (`Topic.recommendationsUpdated`). */
export class RedisInterestAnnouncer implements InterestAnnouncer {
  private readonly publisher: RedisClient;

  constructor(
    redisUrl: string,
    private readonly pubsubPrefix: string,
  ) {
    this.publisher = logRedisOutages(createRedis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 }), 'notices');
  }

  async announce(userId: string, updatedAt: Date): Promise<void> {
    await pubsub.publish(
      this.publisher,
      Topic.recommendationsUpdated(userId, this.pubsubPrefix),
      JSON.stringify({ userId, updatedAt: updatedAt.toISOString() }),
    );
  }

  close(): void {
    this.publisher.disconnect();
  }
}
