import { buildAudience, DEFAULT_AUDIENCE_WEIGHTS, interestAffinity, type Audience, type AudienceCandidate, type AudienceTarget } from '@serendip/recsys';
import type { ProductIndex } from '@serendip/vectors';
import type { DataSource } from 'typeorm';
import { CooccurrenceStore } from '../cooccurrence/cooccurrence.store';
import { PER_COOCCURRENCE_SEED } from '../cooccurrence/cooccurrence-settings';
import type { SavedProfile } from '../interest/interest.store';

/** Shoppers who allow personalisation: the only ones an audience may name. */
const CONSENTING = `NOT EXISTS (SELECT 1 FROM shopper_privacy p WHERE p.user_id = e.user_id AND (p.personalisation = 0 OR p.forgotten_at IS NOT NULL))`;

export interface AudienceReaders {
  /** The product vector index (interest affinity to the target). */
  index: () => ProductIndex;
  /** Consenting shoppers' interest profiles (the request's DataLoader); null without one or without consent. */
  profiles: (userIds: readonly string[]) => Promise<(SavedProfile | null)[]>;
  /** Consenting shoppers' segments (the request's DataLoader). */
  segments: (userIds: readonly string[]) => Promise<(number | null)[]>;
}

/**
 * Builds campaign audiences (`buildAudience`) from what the subgraph stores: consenting shoppers
 * with events in the segment window, the products they touched among the target's and its
 * co-occurrence partners', their segments, and the target's reach per segment.
 */
export class AudienceService {
  private readonly cooccurrence: CooccurrenceStore;

  constructor(
    private readonly dataSource: DataSource,
    /** Behaviour this many days recent counts, as for segments; 0 reads all of it. */
    private readonly windowDays: number,
  ) {
    this.cooccurrence = new CooccurrenceStore(dataSource);
  }

  async audience(target: AudienceTarget, size: number, readers: AudienceReaders, now = new Date()): Promise<Audience> {
    const since = this.windowDays > 0 ? new Date(now.getTime() - this.windowDays * 86_400_000) : new Date(0);
    const targetIds = [...target.keys()];
    const partners = new Map<string, number>();
    for (const row of await this.cooccurrence.partners(targetIds, PER_COOCCURRENCE_SEED)) {
      if (!target.has(row.otherId)) partners.set(row.otherId, (partners.get(row.otherId) ?? 0) + target.get(row.productId)! * row.weight);
    }
    const relevant = [...targetIds, ...partners.keys()];
    const [activity, touched] = await Promise.all([
      this.dataSource.query<{ userId: string; events: string | number }[]>(
        `SELECT e.user_id AS userId, COUNT(*) AS events FROM behaviour_event e WHERE e.occurred_at >= ? AND ${CONSENTING} GROUP BY e.user_id`,
        [since],
      ),
      this.dataSource.query<{ userId: string; productId: string | number }[]>(
        `SELECT DISTINCT e.user_id AS userId, e.product_id AS productId FROM behaviour_event e
         WHERE e.occurred_at >= ? AND e.product_id IN (?) AND ${CONSENTING}`,
        [since, relevant],
      ),
    ]);
    const products = new Map<string, Set<string>>();
    for (const row of touched) {
      const own = products.get(row.userId) ?? new Set<string>();
      products.set(row.userId, own.add(String(row.productId)));
    }
    const userIds = activity.map((row) => row.userId);
    const segments = await readers.segments(userIds);
    const affinities = await this.affinities(target, userIds, readers);
    const candidates = activity.map((row, i): AudienceCandidate => ({
      userId: row.userId,
      segment: segments[i] ?? null,
      products: products.get(row.userId) ?? new Set(),
      affinity: affinities[i] ?? null,
      events: Number(row.events),
    }));
    const reachRows = await this.dataSource.query<{ segment: number; size: string | number; reached: string | number }[]>(
      `SELECT s.segment, COUNT(*) AS size, SUM(EXISTS (SELECT 1 FROM behaviour_event e WHERE e.user_id = s.user_id AND e.occurred_at >= ? AND e.product_id IN (?))) AS reached
       FROM shopper_segment s GROUP BY s.segment`,
      [since, targetIds],
    );
    const reach = new Map(reachRows.map((row) => [Number(row.segment), { size: Number(row.size), reached: Number(row.reached) }]));
    return buildAudience(target, candidates, { partners, reach }, size);
  }

  /**
   * Each shopper's `interestAffinity` to the target's products that have vectors, weighed by the
   * target's weights. Not read while the weights give interest nothing: loading every profile
   * would cost the request and change no rank.
   */
  private async affinities(target: AudienceTarget, userIds: readonly string[], readers: AudienceReaders): Promise<(number | null)[]> {
    const vectors = [...target].flatMap(([productId, weight]) => {
      const vector = readers.index().vectorOf(productId);
      return vector ? [{ vector, weight }] : [];
    });
    if (DEFAULT_AUDIENCE_WEIGHTS.interest === 0 || vectors.length === 0) return userIds.map(() => null);
    const total = vectors.reduce((sum, entry) => sum + entry.weight, 0);
    return (await readers.profiles(userIds)).map((saved) => {
      if (!saved || saved.profile.interests.length === 0) return null;
      try {
        return vectors.reduce((sum, { vector, weight }) => sum + weight * interestAffinity(saved.profile, vector).score, 0) / total;
      } catch {
        // A profile of another embedding dimension (a model change not yet recomputed) says nothing here.
        return null;
      }
    });
  }
}
