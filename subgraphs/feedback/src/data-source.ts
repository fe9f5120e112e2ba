import { openDataSource, type DatabaseAccountSettings } from '@serendip/db';
import { ReviewAnalysisEntity } from './analysis/review-analysis.entity';
import { ReviewTopicModelEntity } from './insights/topic-model.entity';
import { ForgottenShopperEntity } from './privacy/forgotten-shopper.entity';
import { migrations } from './migrations';
import { InterestRequestEntity } from './review/interest-request.entity';
import { ReviewEntity } from './review/review.entity';

export const feedbackEntities = [ReviewEntity, ReviewAnalysisEntity, ReviewTopicModelEntity, ForgottenShopperEntity, InterestRequestEntity];

/** Opens (migrating when needed) the feedback database; shared by the subgraph and the demo-data importer. */
export const openFeedbackDataSource = (settings: DatabaseAccountSettings<'feedback'>) =>
  openDataSource({
    settings,
    owner: 'feedback',
    entities: feedbackEntities,
    migrations,
  });
