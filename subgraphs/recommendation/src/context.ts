import type { BaseContext, Identity } from '@serendip/federation';
import type { DataSource } from 'typeorm';
import { createRecentEventsLoader } from './event/event.loader';
import type { EventService } from './event/event.service';
import { createRecommendationsLoader } from './recommendation/recommendation.loader';
import type { RecommendationService } from './recommendation/recommendation.service';

export interface RecommendationContext extends BaseContext {
  loaders: {
    recentEvents: ReturnType<typeof createRecentEventsLoader>;
    recommendations: ReturnType<typeof createRecommendationsLoader>;
  };
  events: EventService;
}

/** Per-request context: fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, events: EventService, recommendations: RecommendationService) {
  return (identity: Identity): RecommendationContext => ({
    identity,
    events,
    loaders: {
      recentEvents: createRecentEventsLoader(dataSource),
      recommendations: createRecommendationsLoader(recommendations),
    },
  });
}
