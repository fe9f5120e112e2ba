import { cooccurrencePairs } from '@serendip/recsys';
import type { EntityManager, DataSource } from 'typeorm';
import { EVENT_WEIGHTS } from '../popularity/event-weights';
import { compareIds } from '../product/product-id';
import type { EventRow } from '../event/event.store';
import { COOCCURRENCE_MAX_GAP_MS as MAX_GAP_MS, COOCCURRENCE_WINDOW as WINDOW } from './cooccurrence-settings';

/**
 * Adds one shopper's freshly recorded events to the co-occurrence table. Call it in the
 * transaction that inserted them: the pairs come from their stored history, and the table never
 * drifts from the log.
 */
export async function addToCooccurrence(manager: EntityManager, userId: string, fresh: readonly EventRow[], at: Date): Promise<void> {
  const events = fresh.filter((row) => row.productId !== null && EVENT_WEIGHTS[row.type] > 0);
  if (events.length === 0) return;
  const earliest = Math.min(...events.map((row) => row.occurredAt.getTime()));
  const history: { productId: string; type: EventRow['type']; occurredAt: Date | string }[] = await manager.query(
    `SELECT product_id AS productId, type, occurred_at AS occurredAt FROM behaviour_event
     WHERE user_id = ? AND product_id IS NOT NULL AND occurred_at >= ? AND occurred_at < ?
     ORDER BY occurred_at DESC, id DESC LIMIT ?`,
    [userId, new Date(earliest - MAX_GAP_MS), new Date(earliest), WINDOW],
  );
  const pairs = cooccurrencePairs(
    history.map((row) => ({ productId: String(row.productId), weight: EVENT_WEIGHTS[row.type], occurredAt: new Date(row.occurredAt) })),
    events.map((row) => ({ productId: row.productId!, weight: EVENT_WEIGHTS[row.type], occurredAt: row.occurredAt })),
    { windowSize: WINDOW, maxGapMs: MAX_GAP_MS },
  );
  if (pairs.length === 0) return;
  // Rows are locked in key order so concurrent batches over the same products cannot deadlock.
  pairs.sort((x, y) => compareIds(x.a, y.a) || compareIds(x.b, y.b));
  await manager.query(
    `INSERT INTO product_cooccurrence (product_id, other_id, weight, updated_at)
     VALUES ${pairs.map(() => '(?, ?, ?, ?)').join(', ')}
     ON DUPLICATE KEY UPDATE weight = weight + VALUES(weight), updated_at = VALUES(updated_at)`,
    pairs.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
  );
}

/** Shoppers whose histories are read per query while the table is rebuilt. */
const REBUILD_USERS = 500;

/**
 * Rebuilds the whole table from the event log with the same pairing as live tracking: for
 * importers, whose events bypass trackEvents, and after the pairing rules change. Exact and
 * idempotent, like the popularity rebuild, so an interrupted or repeated import converges.
 */
export async function rebuildCooccurrence(dataSource: DataSource, at: Date): Promise<void> {
  const users: { userId: string }[] = await dataSource.query('SELECT DISTINCT user_id AS userId FROM behaviour_event WHERE product_id IS NOT NULL ORDER BY user_id');
  const totals = new Map<string, { a: string; b: string; weight: number }>();
  for (let start = 0; start < users.length; start += REBUILD_USERS) {
    const batch = users.slice(start, start + REBUILD_USERS).map((user) => user.userId);
    const rows: { userId: string; productId: string; type: EventRow['type']; occurredAt: Date | string }[] = await dataSource.query(
      `SELECT user_id AS userId, product_id AS productId, type, occurred_at AS occurredAt FROM behaviour_event
       WHERE user_id IN (${batch.map(() => '?').join(', ')}) AND product_id IS NOT NULL ORDER BY user_id, occurred_at, id`,
      batch,
    );
    const byUser = new Map<string, { productId: string; weight: number; occurredAt: Date }[]>();
    for (const row of rows) {
      const weight = EVENT_WEIGHTS[row.type];
      if (weight <= 0) continue;
      const history = byUser.get(row.userId) ?? [];
      history.push({ productId: String(row.productId), weight, occurredAt: new Date(row.occurredAt) });
      byUser.set(row.userId, history);
    }
    for (const history of byUser.values()) {
      for (const pair of cooccurrencePairs([], history, { windowSize: WINDOW, maxGapMs: MAX_GAP_MS })) {
        const key = `${pair.a}/${pair.b}`;
        const total = totals.get(key);
        if (total) total.weight += pair.weight;
        else totals.set(key, { ...pair });
      }
    }
  }
  await dataSource.transaction(async (manager) => {
    await manager.query('DELETE FROM product_cooccurrence');
    const pairs = [...totals.values()];
    for (let start = 0; start < pairs.length; start += 1000) {
      const chunk = pairs.slice(start, start + 1000);
      await manager.query(
        `INSERT INTO product_cooccurrence (product_id, other_id, weight, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
        chunk.flatMap((pair) => [pair.a, pair.b, pair.weight, at]),
      );
    }
  });
}

/** The products most often engaged with next to each of `productIds`, strongest first. */
export async function cooccurringProducts(
  dataSource: DataSource,
  productIds: readonly string[],
  perProduct: number,
): Promise<{ productId: string; otherId: string; weight: number }[]> {
  if (productIds.length === 0) return [];
  const rows: { productId: string; otherId: string; weight: number }[] = await dataSource.query(
    `SELECT product_id AS productId, other_id AS otherId, weight FROM (
       SELECT product_id, other_id, weight, ROW_NUMBER() OVER (PARTITION BY product_id ORDER BY weight DESC, other_id) AS position
       FROM product_cooccurrence WHERE product_id IN (${productIds.map(() => '?').join(', ')})
     ) AS ranked WHERE position <= ?`,
    [...productIds, perProduct],
  );
  return rows.map((row) => ({ productId: String(row.productId), otherId: String(row.otherId), weight: Number(row.weight) }));
}
