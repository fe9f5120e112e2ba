import { CatalogueClient, serveSubgraph } from '@serendip/federation';
import type { RecommendationConfig } from './config';
import { createContextFactory } from './context';
import { openRecommendationDataSource } from './data-source';
import { EventService } from './event/event.service';
import { RecommendationService } from './recommendation/recommendation.service';
import { buildRecommendationSchema } from './schema';

/** Opens the database (migrating it), builds the schema and starts serving. */
export async function startRecommendationSubgraph(config: RecommendationConfig) {
  const database = await openRecommendationDataSource(config);
  const { dataSource } = database;
  const events = new EventService(dataSource, new CatalogueClient(config.CATALOGUE_URL, config.GATEWAY_SECRET));
  const recommendations = new RecommendationService(dataSource);
  return serveSubgraph({
    name: 'recommendation',
    database,
    schema: await buildRecommendationSchema(),
    gatewaySecret: config.GATEWAY_SECRET,
    createContext: createContextFactory(dataSource, events, recommendations),
    host: config.RECOMMENDATION_HOST,
    port: config.RECOMMENDATION_PORT,
    nodeEnv: config.NODE_ENV,
  });
}
