import { decodeVector, encodeVector } from '@serendip/jobs';
import type { DataSource, EntityManager } from 'typeorm';

export interface RemovedInterest {
  label: string;
  removedAt: Date;
}

/** Interests shoppers removed (`interest_suppression`). The worker reads the directions to keep them out of recognition. */
export class SuppressionStore {
  constructor(private readonly dataSource: DataSource) {}

  async add(userId: string, centroid: Float32Array, label: string, at: Date): Promise<void> {
    await this.dataSource.query('INSERT INTO interest_suppression (user_id, centroid, label, created_at) VALUES (?, ?, ?, ?)', [
      userId,
      encodeVector(centroid),
      label.slice(0, 200),
      at,
    ]);
  }

  async directions(userId: string): Promise<Float32Array[]> {
    const rows: { centroid: string }[] = await this.dataSource.query('SELECT centroid FROM interest_suppression WHERE user_id = ? ORDER BY id', [userId]);
    return rows.map((row) => decodeVector(row.centroid));
  }

  async removed(userId: string): Promise<RemovedInterest[]> {
    const rows: { label: string; createdAt: Date }[] = await this.dataSource.query(
      'SELECT label, created_at AS createdAt FROM interest_suppression WHERE user_id = ? ORDER BY id DESC',
      [userId],
    );
    return rows.map((row) => ({ label: row.label, removedAt: row.createdAt }));
  }

  /** Forgets every removed interest of the shopper, in the caller's transaction. */
  async removeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.query('DELETE FROM interest_suppression WHERE user_id = ?', [userId]);
  }
}
