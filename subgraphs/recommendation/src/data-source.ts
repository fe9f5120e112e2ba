import { openDataSource, type DatabaseAccountSettings } from '@serendip/db';
import { ArmStatEntity } from './bandit/arm-stat.entity';
import { LinUcbStateEntity } from './bandit/linucb-state.entity';
import { ProductCooccurrenceEntity } from './cooccurrence/product-cooccurrence.entity';
import { BehaviourEventEntity } from './event/behaviour-event.entity';
import { ExperimentAssignmentEntity, ExperimentEntity } from './experiments/experiment.entity';
import { InterestProfileEntity } from './interest/interest-profile.entity';
import { migrations } from './migrations';
import { ProductPopularityEntity } from './popularity/product-popularity.entity';
import { ShopOrderEntity } from './orders/shop-order.entity';
import { InterestRequestEntity } from './interest/interest-request.entity';
import { ShopperPrivacyEntity } from './privacy/shopper-privacy.entity';
import { SegmentModelEntity, ShopperSegmentEntity } from './segments/segment.entity';
import { InterestSuppressionEntity } from './transparency/interest-suppression.entity';
import { SequenceModelVersionEntity } from './sequence/sequence-model-version.entity';
import { ProductTransitionEntity } from './transitions/product-transition.entity';
import { RecommendationItemEntity } from './slate/recommendation-item.entity';
import { RecommendationSlateEntity } from './slate/recommendation-slate.entity';

export const recommendationEntities = [
  BehaviourEventEntity,
  ProductPopularityEntity,
  InterestProfileEntity,
  RecommendationSlateEntity,
  RecommendationItemEntity,
  ArmStatEntity,
  LinUcbStateEntity,
  ProductCooccurrenceEntity,
  ProductTransitionEntity,
  SequenceModelVersionEntity,
  ShopperPrivacyEntity,
  InterestSuppressionEntity,
  SegmentModelEntity,
  ShopperSegmentEntity,
  ExperimentEntity,
  ExperimentAssignmentEntity,
  ShopOrderEntity,
  InterestRequestEntity,
];

/** Opens (migrating when needed) the recommendation database. */
export const openRecommendationDataSource = (settings: DatabaseAccountSettings<'recommendation'>) =>
  openDataSource({
    settings,
    owner: 'recommendation',
    entities: recommendationEntities,
    migrations,
  });
