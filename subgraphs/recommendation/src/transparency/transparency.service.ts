import { badInput } from '@serendip/federation';
import { suppressInterests } from '@serendip/recsys';
import { INTEREST_WINDOW, type InterestStore, type SavedProfile } from '../interest/interest.store';
import { toInterestProfile } from '../interest/interest-profile.mapper';
import { toSegment } from '../segments/segment.mapper';
import type { ShopperPrivacyStore } from '../privacy/shopper-privacy.store';
import type { BehaviourSummary } from './behaviour-summary.type';
import type { SegmentStore } from '../segments/segment.store';
import type { SuppressionStore } from './suppression.store';

/** Shows shoppers what is believed about them and lets them take an interest back. */
export class TransparencyService {
  constructor(
    private readonly interests: InterestStore,
    private readonly suppressions: SuppressionStore,
    private readonly privacy: ShopperPrivacyStore,
    private readonly segments: SegmentStore,
  ) {}

  /**
   * The signals are the shopper's stored events, shown whatever their consent (they are kept for
   * aggregate analytics); interests and segment are beliefs built from them, shown only with
   * consent, as only then may they shape anything.
   */
  async summary(userId: string, now = new Date()): Promise<BehaviourSummary> {
    const state = await this.privacy.state(userId);
    const [profiles, removed, events, passedOver, segments, stored] = await Promise.all([
      state.personalisation ? this.interests.load([userId]) : new Map<string, SavedProfile>(),
      this.suppressions.removed(userId),
      this.interests.recentEvents(userId),
      this.interests.skippedProducts(userId, now),
      state.personalisation ? this.segments.segmentsOf([userId]) : new Map<string, number>(),
      this.segments.load(),
    ]);
    const segment = stored?.segments.find((candidate) => candidate.segment === segments.get(userId));
    const saved = profiles.get(userId);
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    return {
      personalisation: state.personalisation,
      interests: saved ? toInterestProfile(saved).interests : [],
      removedInterests: removed,
      signals: {
        events: [...counts].map(([type, count]) => ({ type, count }) as BehaviourSummary['signals']['events'][number]).sort((a, b) => b.count - a.count),
        window: INTEREST_WINDOW,
        since: events.at(-1)?.occurredAt ?? null,
        lastAt: events[0]?.occurredAt ?? null,
        passedOver: passedOver.length,
      },
      profileUpdatedAt: saved?.updatedAt ?? null,
      segment: segment ? toSegment(segment) : null,
    };
  }

  /**
   * Removes the interest at `index` of the current profile at once, and keeps its direction out
   * of later recognitions (the worker drops interests close to it), since the events behind it
   * are still there.
   */
  async removeInterest(userId: string, index: number): Promise<BehaviourSummary> {
    // Without consent there are no interests to remove, whatever a racing worker left behind.
    const saved = (await this.privacy.state(userId)).personalisation ? (await this.interests.load([userId])).get(userId) : undefined;
    const interest = saved?.profile.interests[index];
    if (!saved || !Number.isInteger(index) || !interest) {
      throw badInput(`index must name one of your ${saved?.profile.interests.length ?? 0} interests, from 0`, 'index');
    }
    const label = toInterestProfile(saved).interests[index]!.label;
    await this.suppressions.add(userId, interest.centroid, label, new Date());
    await this.interests.save({ ...saved, profile: suppressInterests(saved.profile, [interest.centroid]) });
    return this.summary(userId);
  }
}
