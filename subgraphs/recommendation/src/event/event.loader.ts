import { groupLoader } from '@serendip/federation';
import type { EventStore, RecentEventRow } from './event.store';

/** recentEvents never returns more than this many events per shopper. */
export const MAX_RECENT_EVENTS = 100;

/** Each shopper's newest events (at most MAX_RECENT_EVENTS), newest first, one query per batch of shoppers. */
export function createRecentEventsLoader(events: EventStore) {
  return groupLoader<string, RecentEventRow>(
    (userIds) => events.recentByShopper(userIds, MAX_RECENT_EVENTS),
    (row) => row.userId,
  );
}
