import { textHash } from '@serendip/jobs';
import type { DataSource } from 'typeorm';
import { bufferToVector, vectorToBuffer } from './vector-bytes';

/** What gets embedded for a product: the words a shopper would search it by. */
export function productEmbeddingText(product: { title: string; brand: string | null; categoryName: string; tags: string[] }): string {
  return [product.title, product.brand, product.categoryName, product.tags.join(', ')].filter((part) => part && part.trim()).join(' | ');
}

export interface ProductText {
  productId: string;
  text: string;
  textHash: string;
}

/** Where a reader of the embedding feed stands: the last (updated_at, product_id) it saw. */
export interface ProductVectorPosition {
  /** `updated_at` as MariaDB prints it, `YYYY-MM-DD hh:mm:ss.ffffff`. */
  updatedAt: string;
  productId: string;
}

export interface ProductVectorRow {
  productId: string;
  categoryId: string;
  /** When the product was created. */
  createdAt: Date;
  /** When this embedding was last written. */
  updatedAt: Date;
  position: ProductVectorPosition;
  vector: Float32Array;
}

/** How long a written embedding waits before the feed serves it; see `ProductEmbeddingStore.feed`. */
export const FEED_SETTLE_MS = 1000;

interface ProductTextRow {
  id: string;
  title: string;
  brand: string | null;
  tags: string | string[];
  category_name: string;
  model_version: string | null;
  text_hash: string | null;
}

/**
 * Product embeddings in the catalogue's own database: written by the inference worker (through
 * this store, which the catalogue owns), read by semantic search.
 */
export class ProductEmbeddingStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Texts to embed for these products (unknown ids are left out). */
  async texts(productIds: readonly string[]): Promise<ProductText[]> {
    if (productIds.length === 0) return [];
    const rows: ProductTextRow[] = await this.dataSource.query(
      `SELECT p.id, p.title, p.brand, p.tags, c.name AS category_name, NULL AS model_version, NULL AS text_hash
       FROM product p JOIN category c ON c.id = p.category_id WHERE p.id IN (?) ORDER BY p.id`,
      [productIds],
    );
    return rows.map(toProductText);
  }

  /**
   * Products after `afterId` (in id order) whose embedding for `model` is missing, was made by
   * another version, or embeds text that has since changed. `scanned` is the last id looked at,
   * so a backfill walks the whole catalogue in pages of `limit`.
   */
  async stale(model: string, version: string, afterId: string, limit: number): Promise<{ items: ProductText[]; scanned: string | null }> {
    const rows: ProductTextRow[] = await this.dataSource.query(
      `SELECT p.id, p.title, p.brand, p.tags, c.name AS category_name, e.model_version, e.text_hash
       FROM product p
       JOIN category c ON c.id = p.category_id
       LEFT JOIN product_embedding e ON e.product_id = p.id AND e.model = ?
       WHERE p.id > ? ORDER BY p.id LIMIT ?`,
      [model, afterId, limit],
    );
    const items = rows
      .map((row) => ({ row, text: toProductText(row) }))
      .filter(({ row, text }) => row.model_version !== version || row.text_hash !== text.textHash)
      .map(({ text }) => text);
    return { items, scanned: rows.length === limit ? rows[rows.length - 1]!.id : null };
  }

  async upsert(model: string, version: string, rows: { productId: string; textHash: string; vector: Float32Array }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO product_embedding (product_id, model, model_version, dimension, vector, text_hash)
       VALUES ?
       ON DUPLICATE KEY UPDATE model_version = VALUES(model_version), dimension = VALUES(dimension),
         vector = VALUES(vector), text_hash = VALUES(text_hash)`,
      [rows.map((row) => [row.productId, model, version, row.vector.length, vectorToBuffer(row.vector), row.textHash])],
    );
  }

  /**
   * Embeddings of `model` at `version` in write order, (updated_at, product_id), after `after`:
   * a full scan from null, then only what was written since the last row seen. Rows younger than
   * `settleMs` are held back: `updated_at` is taken when a statement starts, so a slow write could
   * commit after a quicker, later one and would otherwise fall behind a reader's cursor for good.
   */
  async feed(model: string, version: string, after: ProductVectorPosition | null, limit: number, settleMs = FEED_SETTLE_MS): Promise<ProductVectorRow[]> {
    const rows: {
      product_id: string;
      category_id: string;
      created_at: Date;
      updated_at: Date;
      position_at: string;
      vector: Buffer;
    }[] = await this.dataSource.query(
      `SELECT e.product_id, p.category_id, p.created_at, e.updated_at, e.vector,
         DATE_FORMAT(e.updated_at, '%Y-%m-%d %H:%i:%s.%f') AS position_at
       FROM product_embedding e
       JOIN product p ON p.id = e.product_id
       WHERE e.model = ? AND e.model_version = ?
         AND e.updated_at <= NOW(3) - INTERVAL ? MICROSECOND
         ${after ? 'AND (e.updated_at > ? OR (e.updated_at = ? AND e.product_id > CAST(? AS SIGNED)))' : ''}
       ORDER BY e.updated_at, e.product_id
       LIMIT ?`,
      [model, version, settleMs * 1000, ...(after ? [after.updatedAt, after.updatedAt, after.productId] : []), limit],
    );
    return rows.map((row) => ({
      productId: row.product_id,
      categoryId: row.category_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      // The database's own text of the timestamp, so a cursor never passes through a JS Date or a zone.
      position: { updatedAt: row.position_at, productId: row.product_id },
      vector: bufferToVector(row.vector),
    }));
  }

  /** Stored vectors of these products in one model version; products without one are absent. */
  async vectorsOf(model: string, version: string, productIds: readonly string[]): Promise<Map<string, Float32Array>> {
    if (productIds.length === 0) return new Map();
    const rows: { product_id: string; vector: Buffer }[] = await this.dataSource.query(
      `SELECT product_id, vector FROM product_embedding WHERE model = ? AND model_version = ? AND product_id IN (${productIds.map(() => '?').join(', ')})`,
      [model, version, ...productIds],
    );
    return new Map(rows.map((row) => [String(row.product_id), bufferToVector(row.vector)]));
  }

  async count(model: string, version: string): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query('SELECT COUNT(*) AS count FROM product_embedding WHERE model = ? AND model_version = ?', [
      model,
      version,
    ]);
    return Number(row?.count ?? 0);
  }
}

function toProductText(row: ProductTextRow): ProductText {
  const tags = typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags;
  const text = productEmbeddingText({ title: row.title, brand: row.brand, categoryName: row.category_name, tags });
  return { productId: row.id, text, textHash: textHash(text) };
}
