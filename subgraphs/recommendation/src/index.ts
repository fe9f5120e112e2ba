export * from './app';
export * from './config';
export * from './schema';
export { openRecommendationDataSource, recommendationEntities } from './data-source';
export { migrations } from './migrations';
export { EventStore, type EventRow } from './event/event.store';
export { EventType } from './event/event-type';
export { EVENT_WEIGHTS, type EventWeights } from './popularity/event-weights';
export { InterestStore, INTEREST_WINDOW, type InterestEvent, type SavedProfile } from './interest/interest.store';
