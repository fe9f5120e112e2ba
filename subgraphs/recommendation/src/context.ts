import type { BaseContext, Identity } from '@serendip/federation';
import DataLoader from 'dataloader';
import type { ProductIndex } from '@serendip/vectors';
import type { AnalyticsService } from './analytics/analytics.service';
import type { AudienceTargets } from './audience/audience-target.client';
import type { AudienceService } from './audience/audience.service';
import { createRecentEventsLoader } from './event/event.loader';
import type { EventService } from './event/event.service';
import type { EventStore } from './event/event.store';
import type { ExperimentService } from './experiments/experiment.service';
import type { InterestStore, SavedProfile } from './interest/interest.store';
import type { LiveSlates } from './live/live-slates';
import { createPrivacyStateLoader, withConsent } from './privacy/consent.loader';
import type { PrivacyService } from './privacy/privacy.service';
import { createPopularInCategoryLoader } from './popular-in-category/popular-in-category.loader';
import type { PopularInCategoryService } from './popular-in-category/popular-in-category.service';
import type { JobQueueService } from './queues/job-queue.service';
import type { SegmentStore, StoredSegments } from './segments/segment.store';
import type { SequenceModelStore } from './sequence/sequence-model.store';
import type { SlateSource } from './slate/slate-source';
import type { TransparencyService } from './transparency/transparency.service';

export interface RecommendationContext extends BaseContext {
  loaders: {
    recentEvents: ReturnType<typeof createRecentEventsLoader>;
    popularInCategory: ReturnType<typeof createPopularInCategoryLoader>;
    interestProfiles: DataLoader<string, SavedProfile | null>;
    segments: DataLoader<string, number | null>;
    /** The fitted segments, read at most once per request. */
    segmentModel: () => Promise<StoredSegments | null>;
  };
  events: EventService;
  slates: SlateSource;
  liveSlates: LiveSlates;
  privacy: PrivacyService;
  transparency: TransparencyService;
  analytics: AnalyticsService;
  segments: SegmentStore;
  experiments: ExperimentService;
  sequenceModels: SequenceModelStore;
  audiences: AudienceService;
  audienceTargets: AudienceTargets;
  productIndex: () => ProductIndex;
  jobQueues: JobQueueService;
}

export interface RecommendationServices {
  events: EventService;
  eventStore: EventStore;
  interests: InterestStore;
  popularInCategory: PopularInCategoryService;
  slates: SlateSource;
  liveSlates: LiveSlates;
  privacy: PrivacyService;
  transparency: TransparencyService;
  analytics: AnalyticsService;
  segments: SegmentStore;
  experiments: ExperimentService;
  sequenceModels: SequenceModelStore;
  audiences: AudienceService;
  audienceTargets: AudienceTargets;
  productIndex: () => ProductIndex;
  jobQueues: JobQueueService;
}

/** Per-request context (per operation for subscriptions): fresh DataLoaders so caches never leak between callers. */
export function createContextFactory(services: RecommendationServices) {
  const {
    events,
    eventStore,
    interests,
    popularInCategory,
    slates,
    liveSlates,
    privacy,
    transparency,
    analytics,
    segments,
    experiments,
    sequenceModels,
    audiences,
    audienceTargets,
    productIndex,
    jobQueues,
  } = services;
  return (identity: Identity): RecommendationContext => {
    // One read of consent per request, shared by every personalised loader below.
    const privacyStates = createPrivacyStateLoader(privacy.store);
    let segmentModel: Promise<StoredSegments | null> | undefined;
    return {
      identity,
      events,
      slates,
      liveSlates,
      privacy,
      transparency,
      analytics,
      segments,
      experiments,
      sequenceModels,
      audiences,
      audienceTargets,
      productIndex,
      jobQueues,
      loaders: {
        // A shopper's own events are theirs to see whatever their consent: they are what is stored, not a personalisation.
        recentEvents: createRecentEventsLoader(eventStore),
        popularInCategory: createPopularInCategoryLoader(popularInCategory, privacyStates),
        interestProfiles: new DataLoader(withConsent(privacyStates, (userIds) => interests.load(userIds), null)),
        segments: new DataLoader(withConsent(privacyStates, (userIds) => segments.segmentsOf(userIds), null)),
        segmentModel: () => (segmentModel ??= segments.load()),
      },
    };
  };
}
