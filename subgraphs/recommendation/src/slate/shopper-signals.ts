import type { InterestEvent } from '../event/event.store';
import type { InterestStore, SavedProfile } from '../interest/interest.store';
import { forgottenError } from '../privacy/privacy.service';
import type { PrivacyState } from '../privacy/shopper-privacy.store';

/** What a slate may use of the shopper's own data. */
export interface ShopperSignals {
  personalisation: boolean;
  /** Newest first. */
  events: InterestEvent[];
  profile: SavedProfile | undefined;
  segment: number | null;
}

export interface ShopperSignalSources {
  interests: InterestStore;
  /** Consent and forgetting: without consent a slate uses nothing of the shopper's own data. */
  privacy: { state(userId: string): Promise<PrivacyState> };
  /** Shoppers' segments: the policy's context, so LinUCB learns what works per segment. */
  segments?: { segmentsOf(userIds: readonly string[]): Promise<Map<string, number>> };
}

/**
 * The privacy gate: a forgotten shopper gets no slate at all; without consent there are no
 * interests, no history and no segment, so the slate is made of trending and fresh products only,
 * the same for every such shopper.
 */
export async function shopperSignals({ interests, privacy, segments }: ShopperSignalSources, userId: string): Promise<ShopperSignals> {
  const { personalisation, forgotten } = await privacy.state(userId);
  if (forgotten) throw forgottenError();
  if (!personalisation) return { personalisation, events: [], profile: undefined, segment: null };
  const [events, profiles, segmentsByUser] = await Promise.all([
    interests.recentEvents(userId),
    interests.load([userId]),
    segments?.segmentsOf([userId]) ?? new Map<string, number>(),
  ]);
  return { personalisation, events, profile: profiles.get(userId), segment: segmentsByUser.get(userId) ?? null };
}
