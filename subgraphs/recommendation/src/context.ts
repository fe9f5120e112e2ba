import { rowLoader, type BaseContext, type Identity } from '@serendip/federation';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { AnalyticsService } from './analytics/analytics.service';
import { createRecentEventsLoader } from './event/event.loader';
import type { EventService } from './event/event.service';
import type { ExperimentService } from './experiments/experiment.service';
import type { InterestStore, SavedProfile } from './interest/interest.store';
import type { LiveSlates } from './live/live-slates';
import type { PrivacyService } from './privacy/privacy.service';
import { createRecommendationsLoader } from './recommendation/recommendation.loader';
import type { RecommendationService } from './recommendation/recommendation.service';
import type { SegmentStore } from './segments/segment.store';
import type { SlateSource } from './slate/slate-source';
import type { TransparencyService } from './transparency/transparency.service';

export interface RecommendationContext extends BaseContext {
  loaders: {
    recentEvents: ReturnType<typeof createRecentEventsLoader>;
    recommendations: ReturnType<typeof createRecommendationsLoader>;
    interestProfiles: DataLoader<string, SavedProfile | null>;
    segments: DataLoader<string, number | null>;
  };
  events: EventService;
  slates: SlateSource;
  liveSlates: LiveSlates;
  privacy: PrivacyService;
  transparency: TransparencyService;
  analytics: AnalyticsService;
  segments: SegmentStore;
  experiments: ExperimentService;
}

export interface RecommendationServices {
  events: EventService;
  interests: InterestStore;
  recommendations: RecommendationService;
  slates: SlateSource;
  liveSlates: LiveSlates;
  privacy: PrivacyService;
  transparency: TransparencyService;
  analytics: AnalyticsService;
  segments: SegmentStore;
  experiments: ExperimentService;
}

/** Per-request context (per operation for subscriptions): fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(dataSource: DataSource, services: RecommendationServices) {
  const { events, interests, recommendations, slates, liveSlates, privacy, transparency, analytics, segments, experiments } = services;
  return (identity: Identity): RecommendationContext => ({
    identity,
    events,
    slates,
    liveSlates,
    privacy,
    transparency,
    analytics,
    segments,
    experiments,
    loaders: {
      recentEvents: createRecentEventsLoader(dataSource),
      recommendations: createRecommendationsLoader(recommendations),
      interestProfiles: rowLoader((userIds) => interests.load(userIds).then((saved) => [...saved.values()]), (saved) => saved.userId),
      segments: new DataLoader(async (userIds: readonly string[]) => {
        const found = await segments.segmentsOf(userIds);
        return userIds.map((userId) => found.get(userId) ?? null);
      }),
    },
  });
}
