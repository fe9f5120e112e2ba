import { compareIds } from '@serendip/db';
import type { CooccurrencePair } from '@serendip/recsys';
import type { DataSource, EntityManager } from 'typeorm';

/** Pairs written per statement while a table is rebuilt. */
const REBUILD_CHUNK = 1000;

/**
 * The writes both item-to-item tables share: weights summed per (product_id, other) as events
 * arrive, and the whole table replaced by a rebuild from the log. The stores of
 * `product_cooccurrence` and `product_transition` extend it with their own reads.
 */
export abstract class ItemPairTable {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly table: 'product_cooccurrence' | 'product_transition',
    private readonly other: 'other_id' | 'next_id',
  ) {}

  /**
   * Adds pairs from freshly recorded events. Call it in the transaction that inserted them, so the
   * table never drifts from the log.
   */
  async add(manager: EntityManager, pairs: CooccurrencePair[], at: Date): Promise<void> {
    if (pairs.length === 0) return;
    // Rows are locked in key order so concurrent batches over the same products cannot deadlock.
    pairs.sort((x, y) => compareIds(x.a, y.a) || compareIds(x.b, y.b));
    await manager.query(
      `INSERT INTO ${this.table} (product_id, ${this.other}, weight, updated_at)
       VALUES ${pairs.map(() => '(?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE weight = weight + VALUES(weight), updated_at = VALUES(updated_at)`,
      pairs.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
    );
  }

  /** Replaces the whole table in one transaction (a rebuild from the log). */
  async replaceAll(pairs: readonly CooccurrencePair[], at: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM ${this.table}`);
      for (let start = 0; start < pairs.length; start += REBUILD_CHUNK) {
        const chunk = pairs.slice(start, start + REBUILD_CHUNK);
        await manager.query(
          `INSERT INTO ${this.table} (product_id, ${this.other}, weight, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
        );
      }
    });
  }
}
