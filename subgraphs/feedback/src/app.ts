import { CatalogueClient, startSubgraphServer } from '@serendip/federation';
import type { FeedbackConfig } from './config';
import { createContextFactory } from './context';
import { openFeedbackDataSource } from './data-source';
import { buildFeedbackSchema } from './schema';
import { ReviewService } from './review/review.service';

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startFeedbackSubgraph(config: FeedbackConfig) {
  const { dataSource, queries } = await openFeedbackDataSource(config);
  const catalogue = new CatalogueClient(config.CATALOGUE_URL, config.GATEWAY_SECRET);
  const running = await startSubgraphServer({
    name: 'feedback',
    schema: await buildFeedbackSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, new ReviewService(dataSource), catalogue),
    host: config.FEEDBACK_HOST,
    port: config.FEEDBACK_PORT,
    introspection: config.NODE_ENV !== 'production',
    sqlQueries: () => queries.total,
  });
  return {
    ...running,
    dataSource,
    queries,
    async stop() {
      await running.stop();
      await dataSource.destroy();
    },
  };
}
