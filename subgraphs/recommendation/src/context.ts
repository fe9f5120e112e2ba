import { rowLoader, type BaseContext, type Identity } from '@serendip/federation';
import type DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { createRecentEventsLoader } from './event/event.loader';
import type { EventService } from './event/event.service';
import type { InterestStore, SavedProfile } from './interest/interest.store';
import type { LiveSlates } from './live/live-slates';
import { createRecommendationsLoader } from './recommendation/recommendation.loader';
import type { RecommendationService } from './recommendation/recommendation.service';
import type { SlateSource } from './slate/slate-source';

export interface RecommendationContext extends BaseContext {
  loaders: {
    recentEvents: ReturnType<typeof createRecentEventsLoader>;
    recommendations: ReturnType<typeof createRecommendationsLoader>;
    interestProfiles: DataLoader<string, SavedProfile | null>;
  };
  events: EventService;
  slates: SlateSource;
  liveSlates: LiveSlates;
}

export interface RecommendationServices {
  events: EventService;
  interests: InterestStore;
  recommendations: RecommendationService;
  slates: SlateSource;
  liveSlates: LiveSlates;
}

/** Per-request context (per operation for subscriptions): fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, { events, interests, recommendations, slates, liveSlates }: RecommendationServices) {
  return (identity: Identity): RecommendationContext => ({
    identity,
    events,
    slates,
    liveSlates,
    loaders: {
      recentEvents: createRecentEventsLoader(dataSource),
      recommendations: createRecommendationsLoader(recommendations),
      interestProfiles: rowLoader((userIds) => interests.load(userIds).then((saved) => [...saved.values()]), (saved) => saved.userId),
    },
  });
}
