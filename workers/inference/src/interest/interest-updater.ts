import { embeddingVector, type EmbedTextPayload, type EmbedTextResult, type UpdateInterestResult } from '@serendip/jobs';
import { recogniseInterests, suppressInterests, type InterestSignal } from '@serendip/recsys';
import type { InterestWeights } from '../config';
import type { SequenceQueries } from '../sequence/sequence-queries';
import type { InterestSources, LowRatedReview, ShopperEvent, SkippedProduct } from './interest-sources';
import { keywordsOf } from './keywords';

export interface InterestUpdaterSettings {
  /** How much one event of each type counts; SEARCH counts through its query's embedding. */
  weights: Readonly<InterestWeights>;
  halfLifeDays: number;
  maxInterests: number;
  /** Weight of one skipped impression (negative). */
  skippedImpressionWeight: number;
  /** Weight of a 1-star review (negative); a 2-star review counts half. */
  badReviewWeight: number;
  /** The embedding model whose product vectors and query embeddings are used. */
  model: { name: string; version: string };
}

/**
 * Recomputes one shopper's interests from their stored events, passed-over recommendations and
 * low-rated reviews (update-interest jobs), stores them in the recommendation database and
 * announces the change on the shopper's pub/sub topic, where every subgraph instance holding a
 * live subscription for them recomputes and pushes a slate.
 * The same update turns the shopper's products, in order, into the serving sequence model's query
 * (SequenceQueries), kept with the profile, so the slate engine's sequence source follows each event.
 * It runs on the worker's main thread: it is mostly database work; the few search texts it needs
 * embedded and the sequence model's query go through the inference thread, which owns every ONNX
 * session of the process. It sees the subgraphs' databases only through `InterestSources`;
 * `openStores` wires their implementations.
 */
export class InterestUpdater {
  constructor(
    private readonly sources: InterestSources,
    private readonly embedTexts: (payloads: EmbedTextPayload[]) => Promise<EmbedTextResult[]>,
    private readonly settings: InterestUpdaterSettings,
    private readonly sequence: SequenceQueries | null = null,
  ) {}

  async update(userId: string, now = new Date()): Promise<UpdateInterestResult> {
    const { shoppers, reviews, announcer } = this.sources;
    // No consent (or forgotten): no profile is built, and one left from before goes.
    if (!(await shoppers.personalisation(userId))) {
      await shoppers.removeProfile(userId);
      return { interests: 0, signals: 0 };
    }
    const [events, skipped, disliked, removed] = await Promise.all([
      shoppers.recentEvents(userId),
      shoppers.skippedProducts(userId, now),
      reviews.lowRated(userId, 2),
      shoppers.removedDirections(userId),
    ]);
    const [signals, sequenceQueries] = await Promise.all([this.signals(events, skipped, disliked), this.sequence?.queriesFor(events) ?? []]);
    // Interests the shopper removed stay removed, though the events behind them remain.
    const profile = suppressInterests(
      recogniseInterests(signals, { now, halfLifeDays: this.settings.halfLifeDays, maxInterests: this.settings.maxInterests }),
      removed,
    );
    await shoppers.saveProfile({
      userId,
      profile,
      signals: signals.length,
      model: this.settings.model.name,
      modelVersion: this.settings.model.version,
      updatedAt: now,
      sequenceQueries,
    });
    // Consent withdrawn or the shopper forgotten while this ran: whichever committed last, the
    // profile is not left behind (the other side deletes it when it commits after this save).
    if (!(await shoppers.personalisation(userId))) {
      await shoppers.removeProfile(userId);
      return { interests: 0, signals: 0 };
    }
    await announcer.announce(userId, now);
    return { interests: profile.interests.length, signals: signals.length };
  }

  private async signals(events: ShopperEvent[], skipped: SkippedProduct[], disliked: LowRatedReview[]): Promise<InterestSignal[]> {
    const { weights, model } = this.settings;
    const { products } = this.sources;
    const productIds = [
      ...new Set([
        ...events.flatMap((event) => (event.productId ? [event.productId] : [])),
        ...skipped.map((item) => item.productId),
        ...disliked.map((review) => review.productId),
      ]),
    ];
    const queries = [...new Set(events.flatMap((event) => (event.type === 'SEARCH' && event.query ? [event.query] : [])))];
    const [vectors, texts, embedded] = await Promise.all([
      products.vectorsOf(model.name, model.version, productIds),
      products.texts(productIds),
      queries.length > 0 && weights.SEARCH > 0 ? this.embedTexts(queries.map((text) => ({ text }))) : Promise.resolve([]),
    ]);
    // Keywords from the title only: the rest of the embedded text (brand, category, tags) names
    // the catalogue's own structure, which topCategories already shows.
    const keywords = new Map(texts.map((text) => [text.productId, keywordsOf(text.text.split(' | ')[0] ?? '')]));
    const queryVectors = new Map(embedded.map((result, index) => [queries[index]!, embeddingVector(result)]));

    const signals: InterestSignal[] = [];
    for (const event of events) {
      const weight = weights[event.type];
      if (weight === 0) continue;
      if (event.type === 'SEARCH') {
        const vector = event.query ? queryVectors.get(event.query) : undefined;
        if (vector) signals.push({ vector, weight, occurredAt: event.occurredAt, categoryId: null, keywords: keywordsOf(event.query!) });
        continue;
      }
      // A product not embedded yet (just created) says nothing until its vector exists.
      const vector = event.productId ? vectors.get(event.productId) : undefined;
      if (vector) signals.push({ vector, weight, occurredAt: event.occurredAt, categoryId: event.categoryId, keywords: keywords.get(event.productId!) ?? [] });
    }
    for (const item of skipped) {
      const vector = vectors.get(item.productId);
      if (vector) signals.push({ vector, weight: this.settings.skippedImpressionWeight * item.impressions, occurredAt: item.lastShownAt, categoryId: null });
    }
    for (const review of disliked) {
      const vector = vectors.get(review.productId);
      const weight = this.settings.badReviewWeight * (review.rating <= 1 ? 1 : 0.5);
      if (vector) signals.push({ vector, weight, occurredAt: review.createdAt, categoryId: null });
    }
    return signals;
  }
}
