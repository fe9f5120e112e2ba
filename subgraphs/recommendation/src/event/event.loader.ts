import { groupLoader } from '@serendip/federation';
import type { DataSource } from 'typeorm';
import type { EventType } from './event-type';

/** recentEvents never returns more than this many events per shopper. */
export const MAX_RECENT_EVENTS = 100;

export interface RecentEventRow {
  id: string;
  userId: string;
  type: EventType;
  productId: string | null;
  query: string | null;
  sessionId: string;
  clientEventId: string;
  occurredAt: Date;
}

/**
 * Each shopper's newest events (at most MAX_RECENT_EVENTS), newest first, for a whole batch of
 * shoppers in one query: ROW_NUMBER() picks the top rows per shopper from the (user, time) index.
 */
export function createRecentEventsLoader(dataSource: DataSource) {
  return groupLoader<string, RecentEventRow>(
    (userIds) =>
      dataSource.query(
        `SELECT id, user_id AS userId, type, product_id AS productId, query, session_id AS sessionId,
                client_event_id AS clientEventId, occurred_at AS occurredAt
         FROM (
           SELECT e.*, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY occurred_at DESC, id DESC) AS position
           FROM behaviour_event e
           WHERE user_id IN (${userIds.map(() => '?').join(', ')})
         ) AS ranked
         WHERE position <= ?
         ORDER BY userId, position`,
        [...userIds, MAX_RECENT_EVENTS],
      ),
    (row) => row.userId,
  );
}
