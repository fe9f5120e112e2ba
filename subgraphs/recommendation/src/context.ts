import type { BaseContext, Identity } from '@serendip/federation';
import type { DataSource } from 'typeorm';
import { createRecentEventsLoader } from './event/event.loader';
import type { EventService } from './event/event.service';
import type { LiveSlates } from './live/live-slates';
import { createRecommendationsLoader } from './recommendation/recommendation.loader';
import type { RecommendationService } from './recommendation/recommendation.service';
import type { SlateSource } from './slate/slate-source';

export interface RecommendationContext extends BaseContext {
  loaders: {
    recentEvents: ReturnType<typeof createRecentEventsLoader>;
    recommendations: ReturnType<typeof createRecommendationsLoader>;
  };
  events: EventService;
  slates: SlateSource;
  liveSlates: LiveSlates;
}

export interface RecommendationServices {
  events: EventService;
  recommendations: RecommendationService;
  slates: SlateSource;
  liveSlates: LiveSlates;
}

/** Per-request context (per operation for subscriptions): fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, { events, recommendations, slates, liveSlates }: RecommendationServices) {
  return (identity: Identity): RecommendationContext => ({
    identity,
    events,
    slates,
    liveSlates,
    loaders: {
      recentEvents: createRecentEventsLoader(dataSource),
      recommendations: createRecommendationsLoader(recommendations),
    },
  });
}
