import type { InterestProfile } from '@serendip/recsys';
import type { InterestWeights } from '../config';

/** The behaviour event types, as the recommendation subgraph records them. */
export type InterestEventType = keyof InterestWeights;

/** One of a shopper's events as interest recognition reads it. */
export interface ShopperEvent {
  type: InterestEventType;
  productId: string | null;
  categoryId: string | null;
  query: string | null;
  occurredAt: Date;
}

/** A product shown to the shopper again and again that they never acted on. */
export interface SkippedProduct {
  productId: string;
  /** Distinct hours it was shown in. */
  impressions: number;
  lastShownAt: Date;
}

/** The sequence model's query for a shopper: their next product is scored by its dot product with it. */
export interface SequenceQuery {
  version: string;
  query: Float32Array;
}

/** The shopper's interest profile as it is kept. */
export interface ShopperInterestProfile {
  userId: string;
  profile: InterestProfile;
  signals: number;
  model: string;
  modelVersion: string;
  updatedAt: Date;
  /** One per served sequence model version (the serving one and those experiments pin) that knows some of the shopper's products. */
  sequenceQueries: SequenceQuery[];
}

/**
 * The shopper's side of an interest update (the recommendation database; the recommendation
 * subgraph owns the implementation): consent, history, removed interests, and the profile itself.
 */
export interface ShopperInterestStore {
  /** Whether the shopper allows personalisation; without it no profile is built. */
  personalisation(userId: string): Promise<boolean>;
  /** The shopper's newest events, newest first. */
  recentEvents(userId: string): Promise<ShopperEvent[]>;
  skippedProducts(userId: string, now: Date): Promise<SkippedProduct[]>;
  /** Directions of the interests the shopper removed; recognition keeps them out. */
  removedDirections(userId: string): Promise<Float32Array[]>;
  saveProfile(saved: ShopperInterestProfile): Promise<void>;
  removeProfile(userId: string): Promise<void>;
}

/** Product vectors and texts (the catalogue's database; the catalogue owns the implementation). */
export interface ProductVectorSource {
  /** Vectors of the given model version by product id; products without one are left out. */
  vectorsOf(model: string, version: string, productIds: readonly string[]): Promise<Map<string, Float32Array>>;
  /** The text each product is embedded from (title first, then ` | `-separated brand, category, tags). */
  texts(productIds: readonly string[]): Promise<{ productId: string; text: string }[]>;
}

/** A review the shopper rated low. */
export interface LowRatedReview {
  productId: string;
  rating: number;
  createdAt: Date;
}

/** The shopper's own reviews (the feedback database; the feedback subgraph owns the implementation). */
export interface LowRatedReviewSource {
  /** The shopper's reviews rated `maxRating` stars or fewer, newest first. */
  lowRated(userId: string, maxRating: number): Promise<LowRatedReview[]>;
}

/** Tells every subgraph instance holding a live subscription for the shopper that their interests changed. */
export interface InterestAnnouncer {
  announce(userId: string, updatedAt: Date): Promise<void>;
}

/** Everything an interest update reads and writes besides the inference thread. */
export interface InterestSources {
  shoppers: ShopperInterestStore;
  products: ProductVectorSource;
  reviews: LowRatedReviewSource;
  announcer: InterestAnnouncer;
}
