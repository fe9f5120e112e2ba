import { pubsub, type RedisClient } from '@serendip/config';
import { Topic } from '@serendip/jobs';

/**
 * Publishes notices on a shopper's `Topic.recommendationsUpdated` channel from this subgraph, for
 * changes the worker does not announce, so every instance's live subscriptions of that shopper
 * recompute their slate. Needs a connection of its own: the one RedisChannels holds is in
 * subscriber mode and cannot publish.
 */
export class SlateNotices {
  constructor(
    private readonly publisher: RedisClient,
    private readonly pubsubPrefix: string,
  ) {}

  async announce(userId: string): Promise<void> {
    await pubsub.publish(this.publisher, Topic.recommendationsUpdated(userId, this.pubsubPrefix), '');
  }

  close(): void {
    this.publisher.disconnect();
  }
}
