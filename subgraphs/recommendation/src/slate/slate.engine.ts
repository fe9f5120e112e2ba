import { randomUUID } from 'node:crypto';
import {
  fuseScores,
  interestAffinity,
  policyFromConfig,
  segmentContext,
  type PolicyCandidate,
  type PolicyKind,
  type Rng,
  type SourceScore,
} from '@serendip/recsys';
import type { DataSource } from 'typeorm';
import type { BanditState } from '../bandit/bandit.state';
import type { ProductIndex } from '../candidates/product-index';
import { COOCCURRENCE_SEEDS, PER_COOCCURRENCE_SEED } from '../cooccurrence/cooccurrence-settings';
import { cooccurringProducts } from '../cooccurrence/cooccurrence.store';
import { EventType } from '../event/event-type';
import type { ServedArm } from '../experiments/experiment.service';
import type { InterestStore, SavedProfile } from '../interest/interest.store';
import { forgottenError } from '../privacy/privacy.service';
import type { PrivacyState } from '../privacy/shopper-privacy.store';
import { RecommendationItemEntity } from './recommendation-item.entity';
import { RecommendationSlateEntity } from './recommendation-slate.entity';
import type { SlateRequest, SlateSource } from './slate-source';
import type { RecommendationSlate } from './slate.type';
import { DEFAULT_DIVERSITY, type SlotPolicies } from './slot-policies';

/** Candidate sources and how much each counts in the exploit score. */
export const SOURCE_WEIGHTS = { interest: 1, 'co-occurrence': 0.8, trending: 0.4, fresh: 0.2 } as const;
export type CandidateSource = keyof typeof SOURCE_WEIGHTS;
/** The sources, in the order their scores appear in the policy's context features. */
export const FEATURE_SOURCES = Object.keys(SOURCE_WEIGHTS) as CandidateSource[];

/** Per interest, nearest products fetched from the index. */
const PER_INTEREST = 60;
/** Interests searched (the heaviest first). */
const INTERESTS_SEARCHED = 3;
const TRENDING = 60;
const FRESH = 30;
/** Candidates the policy chooses among. */
const POOL = 200;
/** An explored pick whose exploit score is under this share of the best one says so in its reason. */
const EXPLORE_NOTE_BELOW = 0.5;
/** Trending: the most popular of the products with events this recent. */
const TRENDING_WINDOW_MS = 7 * 24 * 3600 * 1000;

/**
 * LinUCB's starting θ over the features [bias, exploit score, each source's normalised score],
 * then the same per shopper segment (segmentContext): all weight on the shared exploit score, so
 * an untrained slot serves the fused ranking to every segment.
 */
export const LINUCB_PRIOR: readonly number[] = segmentContext([0, 1, ...FEATURE_SOURCES.map(() => 0)], null);

const REASONS: Record<CandidateSource, (keywords: string[]) => string> = {
  interest: (keywords) => (keywords.length > 0 ? `Matches your interest in ${keywords.slice(0, 2).join(', ')}` : 'Close to what you have been looking at'),
  'co-occurrence': () => 'Shoppers who chose what you chose also chose this',
  trending: () => 'Popular with shoppers this week',
  fresh: () => 'New in the catalogue',
};

export interface SlateEngineOptions {
  dataSource: DataSource;
  /** The current product index (a model upgrade swaps in a new one, so it is read at each use). */
  index: () => ProductIndex;
  interests: InterestStore;
  bandit: BanditState;
  policies: SlotPolicies;
  /** A factor per product applied to its fused score (review quality); 1 for all when absent. */
  quality?: (productId: string) => number;
  /** Consent and forgetting: without consent a slate uses nothing of the shopper's own data. */
  privacy: { state(userId: string): Promise<PrivacyState> };
  /** Shoppers' segments: the policy's context, so LinUCB learns what works per segment. */
  segments?: { segmentsOf(userIds: readonly string[]): Promise<Map<string, number>> };
  /** A/B experiments: a running one on the slot decides the policy of an enrolled shopper's slates. */
  experiments?: { armFor(userId: string, slot: SlateRequest['slot'], segment: number | null): Promise<ServedArm | null> };
  rng?: Rng;
}

/**
 * Serves slates: candidates from the shopper's interests (nearest products in the vector index),
 * item-to-item co-occurrence with what they engaged with, trending and fresh products; a fused
 * exploit score scaled by each product's review quality; a bandit policy per slot that explores on purpose with MMR diversity; every
 * slate logged with each item's propensity before it is returned.
 */
export class SlateEngine implements SlateSource {
  private readonly rng: Rng;

  constructor(private readonly options: SlateEngineOptions) {
    this.rng = options.rng ?? Math.random;
  }

  async slate({ userId, slot, first, excludeIds = [] }: SlateRequest): Promise<RecommendationSlate> {
    const { dataSource, interests, bandit, policies, privacy } = this.options;
    const index = this.options.index();
    const { personalisation, forgotten } = await privacy.state(userId);
    if (forgotten) throw forgottenError();
    // Without consent: no interests, no history, no co-occurrence with what they did; trending
    // and fresh products only, the same for every such shopper.
    const [events, profiles, segments] = personalisation
      ? await Promise.all([interests.recentEvents(userId), interests.load([userId]), this.options.segments?.segmentsOf([userId]) ?? new Map<string, number>()])
      : [[], new Map<string, SavedProfile>(), new Map<string, number>()];
    const segment = segments.get(userId) ?? null;
    const profile = profiles.get(userId);
    // Seen or bought products and the caller's own exclusions never come back.
    const excluded = new Set<string>(excludeIds);
    for (const event of events) if (event.productId && event.type !== EventType.SEARCH) excluded.add(event.productId);
    const allowed = (productId: string) => !excluded.has(productId);

    const recentProducts = [...new Set(events.flatMap((event) => (event.productId ? [event.productId] : [])))].slice(0, COOCCURRENCE_SEEDS);
    const [cooccurring, trending] = await Promise.all([
      cooccurringProducts(dataSource, recentProducts, PER_COOCCURRENCE_SEED),
      this.trending(TRENDING + excluded.size),
    ]);
    const sources: Record<CandidateSource, SourceScore[]> = {
      interest: this.interestCandidates(index, profile, allowed),
      'co-occurrence': cooccurring.filter((row) => allowed(row.otherId)).map((row) => ({ id: row.otherId, score: row.weight })),
      trending: trending.filter((row) => allowed(row.productId)).slice(0, TRENDING).map((row) => ({ id: row.productId, score: row.score })),
      fresh: index.newest(FRESH, allowed).map((productId, position) => ({ id: productId, score: FRESH - position })),
    };
    // Review quality scales the exploit score, so a product that disappoints is served less and explored less.
    const fused = fuseScores(sources, SOURCE_WEIGHTS, { ...(this.options.quality && { multiplier: this.options.quality }) }).slice(0, POOL);

    const candidates: PolicyCandidate[] = fused.map((candidate) => {
      const vector = index.vectorOf(candidate.id);
      return {
        id: candidate.id,
        score: candidate.score,
        features: segmentContext([1, candidate.score, ...FEATURE_SOURCES.map((source) => candidate.sources[source] ?? 0)], segment),
        ...(vector !== null && { vector }),
      };
    });
    // Only consenting shoppers take part in experiments: enrolment is a record about them.
    const served = personalisation && this.options.experiments ? await this.options.experiments.armFor(userId, slot, segment) : null;
    const config = served
      ? { kind: served.arm.policy as PolicyKind, exploration: served.arm.exploration, diversity: served.arm.diversity }
      : { ...policies[slot], diversity: DEFAULT_DIVERSITY };
    const policy = policyFromConfig({ kind: config.kind, explorationStrength: config.exploration, linUcbState: bandit.linUcbState(slot) });
    const stats = await bandit.armStats(slot, candidates.map((candidate) => candidate.id));
    const chosen = policy.chooseSlate(candidates, Math.min(first, candidates.length), { rng: this.rng, stats, diversity: config.diversity });

    const byId = new Map(fused.map((candidate) => [candidate.id, candidate]));
    const features = new Map(candidates.map((candidate) => [candidate.id, candidate.features]));
    const keywords = profile?.profile.interests.flatMap((interest) => interest.keywords.map((keyword) => keyword.term)) ?? [];
    const recommendationId = randomUUID();
    const generatedAt = new Date();
    const best = fused[0]?.score ?? 0;
    const items = chosen.map((item) => {
      const candidate = byId.get(item.id)!;
      const source = candidate.primary as CandidateSource;
      // Sampling policies reorder close candidates all the time; the shopper is told only about
      // picks well below the best the ranking had, which is what exploring looks like to them.
      const adventurous = item.explored && candidate.score < EXPLORE_NOTE_BELOW * best;
      const reason = adventurous ? `Something different to explore: ${REASONS[source](keywords).toLowerCase()}` : REASONS[source](keywords);
      return { productId: item.id, rank: item.rank, source, score: candidate.score, propensity: item.propensity, explored: item.explored, reason };
    });

    await dataSource.transaction(async (manager) => {
      await manager.insert(RecommendationSlateEntity, {
        id: recommendationId,
        userId,
        slot,
        policy: policy.name,
        policyVersion: policy.version,
        exploration: config.exploration,
        createdAt: generatedAt,
        experimentId: served?.experimentId ?? null,
        experimentArm: served?.arm.index ?? null,
        armPropensity: served?.propensity ?? null,
      });
      if (items.length > 0) {
        await manager.insert(
          RecommendationItemEntity,
          items.map((item) => ({
            slateId: recommendationId,
            rank: item.rank,
            productId: item.productId,
            source: item.source,
            score: item.score,
            propensity: item.propensity,
            explored: item.explored ? 1 : 0,
            features: JSON.stringify(features.get(item.productId)),
          })),
        );
      }
    });
    bandit.served(slot, items.map((item) => ({ productId: item.productId, features: features.get(item.productId)! })));

    return {
      recommendationId,
      slot,
      policy: `${policy.name}@${policy.version}`,
      generatedAt,
      experiment: served ? { id: served.experimentId, name: served.experimentName, arm: served.arm.name } : null,
      items: items.map((item) => ({
        product: { id: item.productId },
        score: item.score,
        source: item.source,
        reason: item.reason,
        rank: item.rank,
        explored: item.explored,
        recommendationId,
      })),
    };
  }

  /** Nearest products to each of the heaviest interests, scored by fit to the whole profile. */
  private interestCandidates(index: ProductIndex, saved: SavedProfile | undefined, allowed: (productId: string) => boolean): SourceScore[] {
    if (!saved || index.size === 0) return [];
    const { profile } = saved;
    const found = new Map<string, number>();
    for (const interest of profile.interests.slice(0, INTERESTS_SEARCHED)) {
      // A profile from before a model change lives in another space until the worker redoes it.
      if (interest.centroid.length !== index.dimension) continue;
      for (const hit of index.search(interest.centroid, PER_INTEREST, allowed)) {
        if (found.has(hit.productId)) continue;
        const vector = index.vectorOf(hit.productId);
        found.set(hit.productId, vector !== null ? interestAffinity(profile, vector).score : hit.similarity);
      }
    }
    return [...found].map(([id, score]) => ({ id, score }));
  }

  /** The most popular of the products shoppers engaged with lately. */
  private async trending(limit: number): Promise<{ productId: string; score: number }[]> {
    const rows: { productId: string; score: number }[] = await this.options.dataSource.query(
      `SELECT product_id AS productId, score FROM product_popularity WHERE updated_at >= ? ORDER BY score DESC, product_id LIMIT ?`,
      [new Date(Date.now() - TRENDING_WINDOW_MS), limit],
    );
    return rows.map((row) => ({ productId: String(row.productId), score: Number(row.score) }));
  }
}
