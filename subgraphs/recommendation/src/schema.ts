import { buildFederatedSchema } from '@serendip/federation';
import { AnalyticsResolver } from './analytics/analytics.resolver';
import { AudienceResolver } from './audience/audience.resolver';
import { EventResolver } from './event/event.resolver';
import { ExperimentResolver } from './experiments/experiment.resolver';
import { RecommendationSubscriptionResolver } from './live/recommendation.subscription';
import { PrivacyResolver } from './privacy/privacy.resolver';
import { JobQueueResolver } from './queues/job-queue.resolver';
import { SegmentResolver } from './segments/segment.resolver';
import { SequenceModelResolver } from './sequence/sequence-model.resolver';
import { SlateResolver } from './slate/slate.resolver';
import { TransparencyResolver } from './transparency/transparency.resolver';
import { UserRef } from './user/user-ref.type';
import { resolveUserReference } from './user/user.reference';
import { UserResolver } from './user/user.resolver';

export const buildRecommendationSchema = () =>
  buildFederatedSchema({
    resolvers: [
      EventResolver,
      UserResolver,
      SlateResolver,
      RecommendationSubscriptionResolver,
      PrivacyResolver,
      TransparencyResolver,
      SegmentResolver,
      AnalyticsResolver,
      ExperimentResolver,
      SequenceModelResolver,
      AudienceResolver,
      JobQueueResolver,
    ],
    // Nothing here returns a User; the gateway reaches it through _entities.
    orphanedTypes: [UserRef],
    references: { User: { __resolveReference: resolveUserReference } },
  });
