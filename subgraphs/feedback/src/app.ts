import { CatalogueClient, serveSubgraph } from '@serendip/federation';
import { enqueueUpdateInterest, openQueue, QueueName } from '@serendip/jobs';
import type { FeedbackConfig } from './config';
import { createContextFactory } from './context';
import { openFeedbackDataSource } from './data-source';
import { buildFeedbackSchema } from './schema';
import { ReviewService } from './review/review.service';

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startFeedbackSubgraph(config: FeedbackConfig) {
  const database = await openFeedbackDataSource(config);
  const { dataSource } = database;
  const catalogue = new CatalogueClient(config.CATALOGUE_URL, config.GATEWAY_SECRET);
  const interestQueue = openQueue(QueueName.InterestUpdate, { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX });
  // The review is stored either way; a lost request only delays its effect on recommendations
  // until the shopper's next event.
  const reviewed = (userId: string) =>
    enqueueUpdateInterest(interestQueue, userId).then(
      () => undefined,
      (error: unknown) => console.error(`[feedback] could not request an interest update for ${userId}:`, error instanceof Error ? error.message : error),
    );
  return serveSubgraph({
    name: 'feedback',
    database,
    schema: await buildFeedbackSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, new ReviewService(dataSource, reviewed), catalogue),
    host: config.FEEDBACK_HOST,
    port: config.FEEDBACK_PORT,
    nodeEnv: config.NODE_ENV,
    onStop: () => interestQueue.close(),
  });
}
