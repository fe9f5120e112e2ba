import { RecsysError } from './errors';
import { overIndex } from './segments';
import { requireCount } from './validate';

/**
 * Campaign audiences: which shoppers are most likely to respond to a target (a product, a brand's
 * products, the products a text finds), from what the platform already knows of each shopper.
 */

/** What an audience is built for: products with weights (1 each for a product or a brand, the search similarity for a text). */
export type AudienceTarget = ReadonlyMap<string, number>;

/** One shopper who may be in the audience. */
export interface AudienceCandidate {
  userId: string;
  /** Their segment, or null (not fitted, or placed in none). */
  segment: number | null;
  /** Products they had events on, any weight > 0 (only membership counts). */
  products: ReadonlySet<string>;
  /** `interestAffinity` of their interests to the target, in [−1, 1]; null without a profile or a target vector. */
  affinity: number | null;
  /** Their events in the window: how active they are. */
  events: number;
}

/** Per product, its co-occurrence weight with the target (summed over the target's products by their weights). */
export type AudiencePartners = ReadonlyMap<string, number>;

/** Per segment: its members, and how many of them had an event on a target product. */
export type SegmentReach = ReadonlyMap<number, { size: number; reached: number }>;

export interface AudienceWeights {
  /** Weight of having touched a target product already (share of the target's weight). */
  owned: number;
  /** Weight of having touched products that co-occur with the target: 1 − exp(−Σ partner weights / the heaviest). */
  related: number;
  /** Weight of interest affinity, max(0, affinity). */
  interest: number;
  /** Weight of the target's over-index in the shopper's segment, (index − 100) / (index + 100). */
  segment: number;
  /** Weight of activity, log1p(events) / log1p(the most events of any candidate). */
  activity: number;
}

/**
 * The best of `pnpm eval:behaviour`'s grid on a validation split of December 2010 in the UCI
 * Online Retail data (fit on 1–14 December, respond on 15–31), never on the held-out January
 * (docs/behaviour.md). Interest, segment and activity got 0 there: on purchases of one shop's
 * gifts, what a shopper bought and what goes with it say more. Other shops pass their own weights.
 */
export const DEFAULT_AUDIENCE_WEIGHTS: Readonly<AudienceWeights> = { owned: 1, related: 1, interest: 0, segment: 0, activity: 0 };

export interface AudienceShopper {
  userId: string;
  segment: number | null;
  score: number;
  /** Estimated chance of responding: their segment's smoothed rate of reaching the target. */
  probability: number;
}

export interface AudienceSegment {
  segment: number;
  /** Its candidates. */
  size: number;
  /** Its members in the audience. */
  inAudience: number;
  /** 100 × (its share of the audience) / (its share of the candidates): 100 is no different from everyone. */
  index: number;
  /** Members who had an event on a target product / size, smoothed by half a shopper over one more. */
  responseRate: number;
  /** responseRate × size: responders if the whole segment were targeted. */
  expectedResponders: number;
}

export interface Audience {
  /** The top `size` candidates by score, best first (ties by userId). */
  shoppers: AudienceShopper[];
  /** Σ probability over the audience. */
  expectedReach: number;
  /** Segments with a member among the candidates, highest index first (ties: more in the audience, lower number). */
  segments: AudienceSegment[];
}

/** Each signal in [0, 1] (segment in (−1, 1)), before weighting; exported for tests and the eval's report. */
export interface AudienceSignals {
  owned: number;
  related: number;
  interest: number;
  segment: number;
  activity: number;
}

/** The signals of one candidate; `maxEvents` is the most events of any candidate, `heaviestPartner` the largest partner weight. */
export function audienceSignals(
  target: AudienceTarget,
  partners: AudiencePartners,
  segmentIndex: ReadonlyMap<number, number>,
  candidate: AudienceCandidate,
  scale: { maxEvents: number; heaviestPartner: number; targetWeight: number },
): AudienceSignals {
  let owned = 0;
  let related = 0;
  for (const productId of candidate.products) {
    const weight = target.get(productId);
    if (weight !== undefined) owned += weight;
    else related += partners.get(productId) ?? 0;
  }
  const index = candidate.segment === null ? undefined : segmentIndex.get(candidate.segment);
  return {
    owned: scale.targetWeight > 0 ? owned / scale.targetWeight : 0,
    related: scale.heaviestPartner > 0 ? 1 - Math.exp(-related / scale.heaviestPartner) : 0,
    interest: Math.max(0, candidate.affinity ?? 0),
    segment: index === undefined ? 0 : (index - 100) / (index + 100),
    activity: scale.maxEvents > 0 ? Math.log1p(candidate.events) / Math.log1p(scale.maxEvents) : 0,
  };
}

/**
 * The `size` candidates most likely to respond to the target, scored by a weighted sum of
 * `audienceSignals`: whether they touched the target already, how much of what they touched
 * co-occurs with it, their interest affinity to it, the target's over-index in their segment, and
 * how active they are. A shopper's response probability is estimated by their segment's rate of
 * reaching the target (smoothed; shoppers without a segment take the overall rate): a documented,
 * conservative estimate, since the audience's own members score above their segments' average.
 */
export function buildAudience(
  target: AudienceTarget,
  candidates: readonly AudienceCandidate[],
  inputs: { partners: AudiencePartners; reach: SegmentReach },
  size: number,
  weights: AudienceWeights = DEFAULT_AUDIENCE_WEIGHTS,
): Audience {
  requireCount(size, 0, 'size');
  if (target.size === 0) throw new RecsysError('target must name at least one product', 'target');
  for (const [productId, weight] of target) {
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RecsysError(`target weight of ${productId} must be a finite number > 0`, 'target');
  }
  for (const [name, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight)) throw new RecsysError(`weights.${name} must be finite`, 'weights');
  }
  let reachedAll = 0;
  let sizeAll = 0;
  for (const { size: members, reached } of inputs.reach.values()) {
    reachedAll += reached;
    sizeAll += members;
  }
  const segmentIndex = new Map(
    [...inputs.reach].map(([segment, { size: members, reached }]) => [segment, overIndex(reached, members, reachedAll - reached, sizeAll - members)]),
  );
  const rate = (reached: number, members: number) => (reached + 0.5) / (members + 1);
  const overall = rate(reachedAll, sizeAll);
  const responseRate = new Map([...inputs.reach].map(([segment, { size: members, reached }]) => [segment, rate(reached, members)]));
  const scale = {
    maxEvents: candidates.reduce((max, candidate) => Math.max(max, candidate.events), 0),
    heaviestPartner: [...inputs.partners.values()].reduce((max, weight) => Math.max(max, weight), 0),
    targetWeight: [...target.values()].reduce((sum, weight) => sum + weight, 0),
  };
  const scored = candidates.map((candidate) => {
    const signals = audienceSignals(target, inputs.partners, segmentIndex, candidate, scale);
    const score =
      weights.owned * signals.owned +
      weights.related * signals.related +
      weights.interest * signals.interest +
      weights.segment * signals.segment +
      weights.activity * signals.activity;
    const probability = candidate.segment === null ? overall : (responseRate.get(candidate.segment) ?? overall);
    return { userId: candidate.userId, segment: candidate.segment, score, probability };
  });
  scored.sort((a, b) => b.score - a.score || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const shoppers = scored.slice(0, size);

  const bySegment = new Map<number, { size: number; inAudience: number }>();
  for (const candidate of candidates) {
    if (candidate.segment === null) continue;
    const entry = bySegment.get(candidate.segment) ?? { size: 0, inAudience: 0 };
    entry.size += 1;
    bySegment.set(candidate.segment, entry);
  }
  for (const shopper of shoppers) if (shopper.segment !== null) bySegment.get(shopper.segment)!.inAudience += 1;
  const segments = [...bySegment].map(([segment, { size: members, inAudience }]): AudienceSegment => {
    const segmentRate = responseRate.get(segment) ?? overall;
    return {
      segment,
      size: members,
      inAudience,
      index: shoppers.length > 0 ? (100 * (inAudience / shoppers.length)) / (members / candidates.length) : 0,
      responseRate: segmentRate,
      expectedResponders: segmentRate * members,
    };
  });
  segments.sort((a, b) => b.index - a.index || b.inAudience - a.inAudience || a.segment - b.segment);
  return { shoppers, expectedReach: shoppers.reduce((sum, shopper) => sum + shopper.probability, 0), segments };
}
