import { Topic } from '@serendip/jobs';
import type { Redis } from 'ioredis';

/**
 * Publishes notices on a shopper's `Topic.recommendationsUpdated` channel from this subgraph, for
 * changes the worker does not announce, so every instance's live subscriptions of that shopper
 * recompute their slate. Needs a connection of its own: the one RedisChannels holds is in
 * subscriber mode and cannot publish.
 */
export class SlateNotices {
  constructor(
    private readonly publisher: Redis,
    private readonly pubsubPrefix: string,
  ) {}

  async announce(userId: string): Promise<void> {
    await this.publisher.publish(Topic.recommendationsUpdated(userId, this.pubsubPrefix), '');
  }

  close(): void {
    this.publisher.disconnect();
  }
}
