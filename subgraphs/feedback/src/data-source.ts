import { databaseName, openDataSource, type MysqlSettings } from '@serendip/db';
import { ReviewAnalysisEntity } from './analysis/review-analysis.entity';
import { ReviewTopicModelEntity } from './insights/topic-model.entity';
import { ForgottenShopperEntity } from './privacy/forgotten-shopper.entity';
import { migrations } from './migrations';
import { ReviewEntity } from './review/review.entity';

export const feedbackEntities = [ReviewEntity, ReviewAnalysisEntity, ReviewTopicModelEntity, ForgottenShopperEntity];

/** Opens (creating and migrating) the feedback database; shared by the subgraph and the demo-data importer. */
export const openFeedbackDataSource = (config: MysqlSettings) =>
  openDataSource({
    settings: config,
    database: databaseName(config, 'feedback'),
    entities: feedbackEntities,
    migrations,
  });
