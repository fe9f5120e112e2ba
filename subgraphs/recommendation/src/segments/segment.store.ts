import { overIndexedProducts, type OverIndexedProduct, type SegmentDescription, type SegmentModelJson } from '@serendip/recsys';
import type { DataSource, EntityManager } from 'typeorm';

/** A segment as stored: its description and the products its members reach out of proportion. */
export type StoredSegment = SegmentDescription & { products: OverIndexedProduct[] };

/** What is stored of a fit: the model, to place shoppers, and what each segment looks like. */
export interface StoredSegments {
  model: SegmentModelJson;
  segments: StoredSegment[];
  shoppers: number;
  fittedAt: Date;
}

/** The fitted segments (`segment_model`) and each shopper's place in them (`shopper_segment`). */
export class SegmentStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Replaces the model and every assignment in one transaction, with each segment's over-indexed
   * products (`overIndexedProducts`) over the behaviour since `since`, read from the assignments
   * just written.
   */
  async save(
    stored: Omit<StoredSegments, 'segments'> & { segments: readonly SegmentDescription[] },
    assignments: ReadonlyMap<string, number>,
    since: Date,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM shopper_segment');
      const rows = [...assignments];
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await manager.query(
          `INSERT INTO shopper_segment (user_id, segment, assigned_at) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
          chunk.flatMap(([userId, segment]) => [userId, segment, stored.fittedAt]),
        );
      }
      const reach: { segment: number; productId: string | number; shoppers: string | number }[] = await manager.query(
        `SELECT s.segment, e.product_id AS productId, COUNT(DISTINCT e.user_id) AS shoppers
         FROM behaviour_event e JOIN shopper_segment s ON s.user_id = e.user_id
         WHERE e.occurred_at >= ? AND e.product_id IS NOT NULL GROUP BY s.segment, e.product_id`,
        [since],
      );
      const products = overIndexedProducts(
        reach.map((row) => ({ segment: Number(row.segment), productId: String(row.productId), shoppers: Number(row.shoppers) })),
        new Map(stored.segments.map((segment) => [segment.segment, segment.size])),
      );
      const segments = stored.segments.map((segment) => ({ ...segment, products: products.get(segment.segment) ?? [] }));
      await manager.query(
        `INSERT INTO segment_model (id, model, shoppers, fitted_at) VALUES (1, ?, ?, ?)
         ON DUPLICATE KEY UPDATE model = VALUES(model), shoppers = VALUES(shoppers), fitted_at = VALUES(fitted_at)`,
        [JSON.stringify({ model: stored.model, segments }), stored.shoppers, stored.fittedAt],
      );
    });
  }

  /** Replaces the descriptions of a stored fit (new labels); a later fit is left alone. */
  async relabel(stored: StoredSegments, segments: readonly StoredSegment[]): Promise<void> {
    await this.dataSource.query('UPDATE segment_model SET model = ? WHERE id = 1 AND fitted_at = ?', [
      JSON.stringify({ model: stored.model, segments }),
      stored.fittedAt,
    ]);
  }

  async load(): Promise<StoredSegments | null> {
    const rows: { model: string; shoppers: number; fittedAt: Date }[] = await this.dataSource.query(
      'SELECT model, shoppers, fitted_at AS fittedAt FROM segment_model WHERE id = 1',
    );
    const row = rows[0];
    if (!row) return null;
    const parsed = JSON.parse(row.model) as {
      model: SegmentModelJson;
      segments: (Omit<SegmentDescription, 'differences' | 'summary'> & Partial<Pick<StoredSegment, 'differences' | 'summary' | 'products'>>)[];
    };
    // A fit stored before segments were described by their differences and products: its label was its summary.
    const segments = parsed.segments.map((segment) => ({
      ...segment,
      differences: segment.differences ?? [],
      summary: segment.summary ?? segment.label,
      products: segment.products ?? [],
    }));
    return { model: parsed.model, segments, shoppers: row.shoppers, fittedAt: row.fittedAt };
  }

  /** Every shopper's segment as of the last fit. */
  async assignments(): Promise<Map<string, number>> {
    const rows: { userId: string; segment: number }[] = await this.dataSource.query('SELECT user_id AS userId, segment FROM shopper_segment');
    return new Map(rows.map((row) => [row.userId, row.segment]));
  }

  async segmentsOf(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows: { userId: string; segment: number }[] = await this.dataSource.query(
      'SELECT user_id AS userId, segment FROM shopper_segment WHERE user_id IN (?)',
      [userIds],
    );
    return new Map(rows.map((row) => [row.userId, row.segment]));
  }

  /** Takes the shopper out of their segment, in the caller's transaction. */
  async unassign(manager: EntityManager, userId: string): Promise<void> {
    await manager.query('DELETE FROM shopper_segment WHERE user_id = ?', [userId]);
  }
}
