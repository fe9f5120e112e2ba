import type { DataSource } from 'typeorm';
import { rebuildCooccurrence } from '../cooccurrence/cooccurrence.store';
import { recomputePopularity } from '../popularity/popularity.service';
import { compareIds } from '../product/product-id';
import { BehaviourEventEntity } from './behaviour-event.entity';
import type { EventType } from './event-type';

/** One event to record, already validated by its producer (tracking API or demo-data importer). */
export interface EventRow {
  userId: string;
  type: EventType;
  productId: string | null;
  categoryId: string | null;
  query: string | null;
  sessionId: string;
  clientEventId: string;
  occurredAt: Date;
  /** The slate a CLICK, CART or PURCHASE came from; imports have none. */
  recommendationId?: string | null;
  /** A PURCHASE's value, as a decimal string; imports have none. */
  value?: string | null;
}

/** Keeps statements well under max_allowed_packet and lock sets small. */
const CHUNK_SIZE = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Bulk writes to the event log for importers and jobs. Re-running an import is harmless: rows
 * already recorded (same user and clientEventId) are skipped, and popularity is recomputed from
 * the log rather than incremented, so it stays exact however often the import runs.
 */
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the rows that are not recorded yet; returns how many were new. */
  async insertEvents(rows: EventRow[]): Promise<{ inserted: number; duplicates: number }> {
    const receivedAt = new Date();
    let inserted = 0;
    for (const chunk of chunks(rows, CHUNK_SIZE)) {
      const result = await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(BehaviourEventEntity)
        .orIgnore()
        .values(chunk.map((row) => ({ ...row, receivedAt })))
        .updateEntity(false)
        .execute();
      inserted += (result.raw as { affectedRows: number }).affectedRows;
    }
    // Always recompute, even when nothing was new: a previous run may have stopped between its
    // inserts and its recompute.
    const touched = [...new Set(rows.flatMap((row) => (row.productId ? [row.productId] : [])))].sort(compareIds);
    for (const productIds of chunks(touched, CHUNK_SIZE)) {
      await this.dataSource.transaction((manager) => recomputePopularity(manager, productIds, receivedAt));
    }
    return { inserted, duplicates: rows.length - inserted };
  }

  /** Rebuilds the whole popularity table from the log, for instance after EVENT_WEIGHTS changed. */
  async rebuildPopularity(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM product_popularity');
      await recomputePopularity(manager, null, new Date());
    });
  }

  /** Rebuilds item-to-item co-occurrence from the log (importers call it once, after their events). */
  async rebuildCooccurrence(): Promise<void> {
    await rebuildCooccurrence(this.dataSource, new Date());
  }

  async countEvents(): Promise<number> {
    return this.dataSource.getRepository(BehaviourEventEntity).count();
  }
}
