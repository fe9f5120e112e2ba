import type { SegmentDescription, SegmentModelJson } from '@serendip/recsys';
import type { DataSource, EntityManager } from 'typeorm';

/** What is stored of a fit: the model, to place shoppers, and what each segment looks like. */
export interface StoredSegments {
  model: SegmentModelJson;
  segments: SegmentDescription[];
  shoppers: number;
  fittedAt: Date;
}

/** The fitted segments (`segment_model`) and each shopper's place in them (`shopper_segment`). */
export class SegmentStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Replaces the model and every assignment in one transaction. */
  async save(stored: StoredSegments, assignments: ReadonlyMap<string, number>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO segment_model (id, model, shoppers, fitted_at) VALUES (1, ?, ?, ?)
         ON DUPLICATE KEY UPDATE model = VALUES(model), shoppers = VALUES(shoppers), fitted_at = VALUES(fitted_at)`,
        [JSON.stringify({ model: stored.model, segments: stored.segments }), stored.shoppers, stored.fittedAt],
      );
      await manager.query('DELETE FROM shopper_segment');
      const rows = [...assignments];
      for (let start = 0; start < rows.length; start += 1000) {
        const chunk = rows.slice(start, start + 1000);
        await manager.query(
          `INSERT INTO shopper_segment (user_id, segment, assigned_at) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
          chunk.flatMap(([userId, segment]) => [userId, segment, stored.fittedAt]),
        );
      }
    });
  }

  /** Replaces the descriptions of a stored fit (new labels); a later fit is left alone. */
  async relabel(stored: StoredSegments, segments: readonly SegmentDescription[]): Promise<void> {
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
    const parsed = JSON.parse(row.model) as { model: SegmentModelJson; segments: (SegmentDescription | Omit<SegmentDescription, 'differences' | 'summary'>)[] };
    // A fit stored before segments were described by their differences: its label was its summary.
    const segments = parsed.segments.map((segment) => ('differences' in segment ? segment : { ...segment, differences: [], summary: segment.label }));
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
