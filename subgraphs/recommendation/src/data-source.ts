import { databaseName, openDataSource, type MysqlSettings } from '@serendip/db';
import { BehaviourEventEntity } from './event/behaviour-event.entity';
import { migrations } from './migrations';
import { ProductPopularityEntity } from './popularity/product-popularity.entity';

export const recommendationEntities = [BehaviourEventEntity, ProductPopularityEntity];

/** Opens (creating and migrating when needed) the recommendation database. */
export const openRecommendationDataSource = (config: MysqlSettings) =>
  openDataSource({
    settings: config,
    database: databaseName(config, 'recommendation'),
    entities: recommendationEntities,
    migrations,
  });
