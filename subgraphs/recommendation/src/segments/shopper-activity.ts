import { SEGMENT_EVENT_TYPES, type InterestProfile, type SegmentEventType, type ShopperActivity } from '@serendip/recsys';
import type { SegmentCounts } from '../event/event.store';

const EMPTY_COUNTS = (): Record<SegmentEventType, number> => ({ VIEW: 0, CLICK: 0, CART: 0, PURCHASE: 0, SEARCH: 0 });

/**
 * What segmentation sees of each shopper with counted events: counts by type, category and hour,
 * sessions, and the weighted mean of their interest centroids with their keywords. Profiles of
 * shoppers without counted events are ignored (they are outside the window, or do not consent).
 */
export function shopperActivities(counts: SegmentCounts, profiles: readonly { userId: string; profile: InterestProfile }[]): ShopperActivity[] {
  const byUser = new Map<string, ShopperActivity & { counts: Record<SegmentEventType, number>; categories: Record<string, number>; hours: number[] }>();
  const of = (userId: string) => {
    let activity = byUser.get(userId);
    if (!activity) {
      activity = { userId, interest: null, counts: EMPTY_COUNTS(), categories: {}, hours: Array.from({ length: 24 }, () => 0), sessions: 0, keywords: [] };
      byUser.set(userId, activity);
    }
    return activity;
  };
  for (const row of counts.types)
    if ((SEGMENT_EVENT_TYPES as readonly string[]).includes(row.type)) of(row.userId).counts[row.type as SegmentEventType] = row.n;
  for (const row of counts.categories) of(row.userId).categories[row.categoryId] = row.n;
  for (const row of counts.hours) of(row.userId).hours[row.hour] = row.n;
  for (const row of counts.sessions) of(row.userId).sessions = row.n;
  for (const { userId, profile } of profiles) {
    const activity = byUser.get(userId);
    if (!activity || profile.interests.length === 0) continue;
    const centroids = profile.interests.map((interest) => interest.centroid);
    const dimension = centroids[0]!.length;
    if (centroids.some((centroid) => centroid.length !== dimension)) continue;
    const sum = new Float32Array(dimension);
    profile.interests.forEach((interest, index) => centroids[index]!.forEach((value, i) => (sum[i] = sum[i]! + interest.weight * value)));
    const length = Math.hypot(...sum);
    Object.assign(activity, {
      interest: length > 0 ? sum.map((value) => value / length) : null,
      keywords: profile.interests.flatMap((interest) => interest.keywords.map((keyword) => ({ term: keyword.term, weight: keyword.weight * interest.weight }))),
    });
  }
  return [...byUser.values()];
}
