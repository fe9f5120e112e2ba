import { buildFederatedSchema } from '@serendip/federation';
import { EventResolver } from './event/event.resolver';
import { RecommendationSubscriptionResolver } from './live/recommendation.subscription';
import { SlateResolver } from './slate/slate.resolver';
import { UserRef } from './user/user-ref.type';
import { resolveUserReference } from './user/user.reference';
import { UserResolver } from './user/user.resolver';

export const buildRecommendationSchema = () =>
  buildFederatedSchema({
    resolvers: [EventResolver, UserResolver, SlateResolver, RecommendationSubscriptionResolver],
    // Nothing here returns a User; the gateway reaches it through _entities.
    orphanedTypes: [UserRef],
    references: { User: { __resolveReference: resolveUserReference } },
  });
