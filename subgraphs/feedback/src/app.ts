import { CatalogueClient, serveSubgraph } from '@serendip/federation';
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
  return serveSubgraph({
    name: 'feedback',
    database,
    schema: await buildFeedbackSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, new ReviewService(dataSource), catalogue),
    host: config.FEEDBACK_HOST,
    port: config.FEEDBACK_PORT,
    nodeEnv: config.NODE_ENV,
  });
}
