import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { bufferToVector, vectorToBuffer } from './vector-index';

/** What gets embedded for a product: the words a shopper would search it by. */
export function productEmbeddingText(product: { title: string; brand: string | null; categoryName: string; tags: string[] }): string {
  return [product.title, product.brand, product.categoryName, product.tags.join(', ')].filter((part) => part && part.trim()).join(' | ');
}

export const textHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface ProductText {
  productId: string;
  text: string;
  textHash: string;
}

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

  async load(model: string, version: string): Promise<{ id: string; vector: Float32Array }[]> {
    const rows: { product_id: string; vector: Buffer }[] = await this.dataSource.query(
      'SELECT product_id, vector FROM product_embedding WHERE model = ? AND model_version = ? ORDER BY product_id',
      [model, version],
    );
    return rows.map((row) => ({ id: row.product_id, vector: bufferToVector(row.vector) }));
  }

  async count(model: string, version: string): Promise<number> {
    const [row]: { count: string }[] = await this.dataSource.query(
      'SELECT COUNT(*) AS count FROM product_embedding WHERE model = ? AND model_version = ?',
      [model, version],
    );
    return Number(row?.count ?? 0);
  }
}

function toProductText(row: ProductTextRow): ProductText {
  const tags = typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags;
  const text = productEmbeddingText({ title: row.title, brand: row.brand, categoryName: row.category_name, tags });
  return { productId: row.id, text, textHash: textHash(text) };
}
