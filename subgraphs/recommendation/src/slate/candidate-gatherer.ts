import { ExpiringCache } from '@serendip/federation';
import { interestAffinity, transitionScores, type Follower, type SourceScore } from '@serendip/recsys';
import type { Served } from '@serendip/sequence';
import type { InnerProductIndex, ProductIndex } from '@serendip/vectors';
import { COOCCURRENCE_SEEDS, PER_COOCCURRENCE_SEED } from '../cooccurrence/cooccurrence-settings';
import type { Cooccurring, CooccurrenceStore } from '../cooccurrence/cooccurrence.store';
import { EventType } from '../event/event-type';
import type { InterestEvent } from '../event/event.store';
import type { SavedProfile } from '../interest/interest.store';
import type { PopularityStore } from '../popularity/popularity.store';
import { PER_TRANSITION_SEED, TRANSITION_RECENCY, TRANSITION_SEEDS, TRANSITION_SMOOTHING } from '../transitions/transition-settings';
import type { TransitionStore } from '../transitions/transition.store';
import type { CandidateSource } from './candidate-sources';
import { timeStep, type SlateStepObserver } from './slate-steps';

/** Per interest, nearest products fetched from the index. */
const PER_INTEREST = 60;
/** Interests searched (the heaviest first). */
const INTERESTS_SEARCHED = 3;
/** Trending products a slate reads (pnpm eval:bandit replays the same list lengths). */
export const TRENDING = 60;
/** Newest products a slate reads: how a product nobody has engaged with yet becomes a candidate. */
export const FRESH = 30;
/** Items taken from the sequence model's index: its top 200 were what eval:topn fused (docs/evaluation.md). */
const SEQUENCE = 200;
/** Trending: the most popular of the products with events this recent. */
const TRENDING_WINDOW_MS = 7 * 24 * 3600 * 1000;
/**
 * Trending products kept for all slates: enough that TRENDING survive a shopper's exclusions (their
 * INTEREST_WINDOW of events and a page's excludeIds) nearly always; a longer exclusion list reads its own.
 */
const TRENDING_KEPT = 1000;
/** Products whose co-occurring and following products a replica keeps: about 10 MB. */
const PRODUCTS_KEPT = 20_000;
/** Shoppers whose interest (and sequence) candidates a replica keeps: about 5 KB each per list. */
const SHOPPERS_KEPT = 5_000;

export interface CandidateRequest {
  index: ProductIndex;
  /** The shopper's events, newest first (none without consent). */
  events: readonly InterestEvent[];
  profile: SavedProfile | undefined;
  /** The slate's sequence model item index (its experiment arm's version, else the serving one); null when that is not loaded. */
  sequence: Served<InnerProductIndex> | null;
  /** Products the caller does not want. */
  excludeIds: readonly string[];
  /** Told the time of the SQL queries and of the in-memory searches. */
  onStep?: SlateStepObserver;
}

/** A slate's candidates per source, and the sequence model version whose query was read (null when none was). */
export interface GatheredCandidates {
  sources: Record<CandidateSource, SourceScore[]>;
  sequenceVersion: string | null;
}

/** Seen or bought products (a search names none) and the caller's own exclusions: never served again. */
export function excludedProducts(events: readonly InterestEvent[], excludeIds: readonly string[]): Set<string> {
  const excluded = new Set<string>(excludeIds);
  for (const event of events) if (event.productId && event.type !== EventType.SEARCH) excluded.add(event.productId);
  return excluded;
}

/** The shopper's `count` most recent distinct products, newest first: what item-to-item sources are read for. */
export function recentProducts(events: readonly InterestEvent[], count: number): string[] {
  return [...new Set(events.flatMap((event) => (event.productId ? [event.productId] : [])))].slice(0, count);
}

/**
 * Gathers a slate's candidates from each source, scored within the source: nearest products to
 * the shopper's interests (vector index), products engaged with next to theirs (co-occurrence),
 * products engaged with after theirs (transitions), the items the sequence model predicts from
 * the order of their events (its query, computed by the worker, against the model's item index),
 * trending products (popularity) and the newest in the catalogue (index).
 */
export class CandidateGatherer {
  private readonly trendingKept: ExpiringCache<'trending', { productId: string; score: number }[]>;
  private readonly partnersKept: ExpiringCache<string, Cooccurring[]>;
  private readonly followersKept: ExpiringCache<string, Follower[]>;
  private readonly interestKept: ExpiringCache<string, SourceScore[]>;
  private readonly sequenceKept: ExpiringCache<string, SourceScore[]>;

  /** @param cacheMs how long the lists every slate reads alike are kept (0: read for each slate) */
  constructor(
    private readonly cooccurrence: CooccurrenceStore,
    private readonly transitions: TransitionStore,
    private readonly popularity: PopularityStore,
    cacheMs = 0,
  ) {
    this.trendingKept = new ExpiringCache(cacheMs, 1);
    this.partnersKept = new ExpiringCache(cacheMs, PRODUCTS_KEPT);
    this.followersKept = new ExpiringCache(cacheMs, PRODUCTS_KEPT);
    this.interestKept = new ExpiringCache(cacheMs, SHOPPERS_KEPT);
    this.sequenceKept = new ExpiringCache(cacheMs, SHOPPERS_KEPT);
  }

  async gather({ index, events, profile, sequence, excludeIds, onStep }: CandidateRequest): Promise<GatheredCandidates> {
    const excluded = excludedProducts(events, excludeIds);
    const allowed = (productId: string) => !excluded.has(productId);
    // Part of the key of every kept list of this slate's shopper: built once.
    const exclusions = [...excluded].sort().join('\n');
    const transitionSeeds = recentProducts(events, TRANSITION_SEEDS);
    const [cooccurring, followers, trending] = await timeStep(onStep, 'candidate-queries', () =>
      Promise.all([this.partners(recentProducts(events, COOCCURRENCE_SEEDS)), this.followers(transitionSeeds), this.trending(TRENDING + excluded.size)]),
    );
    // Only the query of the index's own version: another version's lives in another space.
    const query = (sequence && profile?.sequenceQueries.find((saved) => saved.version === sequence.version)?.query) ?? null;
    const searched = await timeStep(onStep, 'ann-search', async () => ({
      interest: await this.interest(index, profile, exclusions, allowed),
      sequence: query ? await this.sequence(sequence!, query, profile!, exclusions, allowed) : [],
      fresh: index.newest(FRESH, allowed).map((productId, position) => ({ id: productId, score: FRESH - position })),
    }));
    const sources = {
      interest: searched.interest,
      'co-occurrence': cooccurring.filter((row) => allowed(row.otherId)).map((row) => ({ id: row.otherId, score: row.weight })),
      transitions: [...transitionScores(transitionSeeds, followers, { recency: TRANSITION_RECENCY, smoothing: TRANSITION_SMOOTHING })]
        .filter(([id]) => allowed(id))
        .map(([id, score]) => ({ id, score })),
      sequence: searched.sequence,
      trending: trending
        .filter((row) => allowed(row.productId))
        .slice(0, TRENDING)
        .map((row) => ({ id: row.productId, score: row.score })),
      fresh: searched.fresh,
    };
    return { sources, sequenceVersion: query ? sequence!.version : null };
  }

  /**
   * The shopper's interest candidates, kept while nothing they are computed from changes: the key
   * holds the saved profile's time, the index's version and every excluded product, so a kept list
   * is the one a new search would find. A shopper's slates between two events (the rails of one
   * page, a pushed update) then search once.
   */
  private interest(index: ProductIndex, saved: SavedProfile | undefined, exclusions: string, allowed: (productId: string) => boolean): Promise<SourceScore[]> {
    if (!saved || index.size === 0) return Promise.resolve([]);
    return this.interestKept.get(keptKey(saved, index.version, exclusions), () => Promise.resolve(interestCandidates(index, saved, allowed)));
  }

  /**
   * The sequence model's items for the shopper's query (stored in their saved profile), kept the
   * same way: a version's item index never changes, so the version stands for it.
   */
  private sequence(
    served: Served<InnerProductIndex>,
    query: Float32Array,
    saved: SavedProfile,
    exclusions: string,
    allowed: (productId: string) => boolean,
  ): Promise<SourceScore[]> {
    return this.sequenceKept.get(keptKey(saved, served.version, exclusions), () =>
      Promise.resolve(served.model.search(query, SEQUENCE, allowed).map((hit) => ({ id: hit.id, score: hit.score }))),
    );
  }

  /** At least `wanted` trending products (fewer when fewer have recent events), best first. */
  private async trending(wanted: number): Promise<{ productId: string; score: number }[]> {
    const since = () => new Date(Date.now() - TRENDING_WINDOW_MS);
    if (wanted > TRENDING_KEPT) return this.popularity.trending(since(), wanted);
    return this.trendingKept.get('trending', () => this.popularity.trending(since(), TRENDING_KEPT));
  }

  private async partners(seeds: readonly string[]): Promise<Cooccurring[]> {
    const kept = await this.partnersKept.getMany(seeds, async (missing) => {
      const rows = await this.cooccurrence.partners(missing, PER_COOCCURRENCE_SEED);
      return new Map(missing.map((seed) => [seed, rows.filter((row) => row.productId === seed)]));
    });
    return seeds.flatMap((seed) => kept.get(seed)!);
  }

  private async followers(seeds: readonly string[]): Promise<Follower[]> {
    const kept = await this.followersKept.getMany(seeds, async (missing) => {
      const rows = await this.transitions.followers(missing, PER_TRANSITION_SEED);
      return new Map(missing.map((seed) => [seed, rows.filter((row) => row.seed === seed)]));
    });
    return seeds.flatMap((seed) => kept.get(seed)!);
  }
}

/** What a shopper's kept candidates depend on: their saved profile, the index searched (its version) and every excluded product (sorted, one per line). */
function keptKey(saved: SavedProfile, indexVersion: number | string, exclusions: string): string {
  return `${saved.userId}\n${saved.updatedAt.getTime()}\n${indexVersion}\n${exclusions}`;
}

/** Nearest products to each of the heaviest interests, scored by fit to the whole profile. */
function interestCandidates(index: ProductIndex, saved: SavedProfile, allowed: (productId: string) => boolean): SourceScore[] {
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
