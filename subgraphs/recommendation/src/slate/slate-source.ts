import type { RecommendationSlate } from './slate.type';
import type { RecommendationSlot } from './slot';

export interface SlateRequest {
  userId: string;
  slot: RecommendationSlot;
  /** Items wanted, already bounded by the caller. */
  first: number;
  /** Product ids the caller does not want (already shown elsewhere on the page). */
  excludeIds?: readonly string[];
}

/** Computes (and logs) a fresh slate; the query and the subscription both serve through it. */
export interface SlateSource {
  slate(request: SlateRequest): Promise<RecommendationSlate>;
}
