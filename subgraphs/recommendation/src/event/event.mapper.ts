import type { BehaviourEvent } from './behaviour-event.type';
import type { RecentEventRow } from './event.store';

export function toBehaviourEvent(row: RecentEventRow): BehaviourEvent {
  return {
    id: row.id,
    type: row.type,
    product: row.productId === null ? null : { id: row.productId },
    query: row.query,
    sessionId: row.sessionId,
    clientEventId: row.clientEventId,
    occurredAt: row.occurredAt,
  };
}
