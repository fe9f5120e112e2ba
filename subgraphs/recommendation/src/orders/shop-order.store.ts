import type { EntityManager } from 'typeorm';
import { decimal, type ShopOrder } from './order-payload';

/** `shop_order`: the signed orders recorded, by order id. */
export class ShopOrderStore {
  /**
   * Records the order in the caller's transaction, the one recording its purchases; false when its
   * id is recorded already (a replay), and then the caller writes nothing. Concurrent copies of one
   * order queue on the key, and the second finds the first's row.
   */
  async claim(manager: EntityManager, order: ShopOrder, receivedAt: Date): Promise<boolean> {
    const total = order.items.reduce((sum, item) => sum + item.valueCents, 0);
    const result = await manager.query<{ affectedRows: number }>(
      'INSERT IGNORE INTO shop_order (order_id, user_id, items, total, occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?)',
      [order.orderId, order.userId, order.items.length, decimal(total), order.occurredAt, receivedAt],
    );
    return result.affectedRows === 1;
  }

  /** Deletes the shopper's orders in the caller's transaction (forgetting); returns how many went. */
  async deleteShopper(manager: EntityManager, userId: string): Promise<number> {
    return (await manager.query<{ affectedRows: number }>('DELETE FROM shop_order WHERE user_id = ?', [userId])).affectedRows;
  }
}
