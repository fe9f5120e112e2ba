import { priceLevels, SEGMENT_EVENT_TYPES, type InterestProfile, type SegmentEventType, type ShopperActivity } from '@serendip/recsys';
import type { SegmentCounts } from '../event/event.store';

const EMPTY_COUNTS = (): Record<SegmentEventType, number> => ({ VIEW: 0, CLICK: 0, CART: 0, PURCHASE: 0, SEARCH: 0 });

/**
 * What segmentation sees of each shopper with counted events: counts by type, category and hour,
 * sessions, spend and price level, and the weighted mean of their interest centroids with their
 * keywords. Spend is what signed orders say a purchase was worth, else the catalogue's price of
 * one unit (client-reported and imported purchases carry no value); the price level comes from
 * the catalogue prices of every product touched (`priceLevels`). Without prices (the catalogue did
 * not answer) spend counts signed orders only and nobody has a price level. Profiles of shoppers
 * without counted events are ignored (they are outside the window, or do not consent).
 */
export function shopperActivities(
  counts: SegmentCounts,
  profiles: readonly { userId: string; profile: InterestProfile }[],
  prices: ReadonlyMap<string, number>,
): ShopperActivity[] {
  const byUser = new Map<string, ShopperActivity & { counts: Record<SegmentEventType, number>; categories: Record<string, number>; hours: number[] }>();
  const of = (userId: string) => {
    let activity = byUser.get(userId);
    if (!activity) {
      activity = {
        userId,
        interest: null,
        counts: EMPTY_COUNTS(),
        categories: {},
        hours: Array.from({ length: 24 }, () => 0),
        sessions: 0,
        keywords: [],
        spend: 0,
        priceLevel: null,
      };
      byUser.set(userId, activity);
    }
    return activity;
  };
  for (const row of counts.types)
    if ((SEGMENT_EVENT_TYPES as readonly string[]).includes(row.type)) of(row.userId).counts[row.type as SegmentEventType] = row.n;
  for (const row of counts.categories) of(row.userId).categories[row.categoryId] = row.n;
  for (const row of counts.hours) of(row.userId).hours[row.hour] = row.n;
  for (const row of counts.sessions) of(row.userId).sessions = row.n;
  for (const row of counts.products) of(row.userId).spend += row.value + row.unvaluedPurchases * (prices.get(row.productId) ?? 0);
  for (const [userId, level] of priceLevels(counts.products, prices)) of(userId).priceLevel = level;
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
