import { logRedisOutages } from '@serendip/federation';
import { Topic } from '@serendip/jobs';
import { Redis } from 'ioredis';
import type { InterestAnnouncer } from './interest-sources';

/** Announces interest updates on the shopper's Redis pub/sub topic (`Topic.recommendationsUpdated`). */
export class RedisInterestAnnouncer implements InterestAnnouncer {
  private readonly publisher: Redis;

  constructor(
    redisUrl: string,
    private readonly pubsubPrefix: string,
  ) {
    this.publisher = logRedisOutages(new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 }), 'notices');
  }

  async announce(userId: string, updatedAt: Date): Promise<void> {
    await this.publisher.publish(Topic.recommendationsUpdated(userId, this.pubsubPrefix), JSON.stringify({ userId, updatedAt: updatedAt.toISOString() }));
  }

  close(): void {
    this.publisher.disconnect();
  }
}
