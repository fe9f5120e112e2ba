import { batchesOf } from '@serendip/db';
import { productSearchTokens } from './search-tokens';

/** Products read per round, and written per UPDATE at most (fewer when their words are long: batchesOf). */
const BATCH = 1000;

export interface FillResult {
  /** Products read. */
  products: number;
  /** Products whose `search_tokens` was not what their fields give now, and was rewritten. */
  written: number;
}

/**
 * Makes every product's `search_tokens` what its title, brand and description give now
 * (productSearchTokens), reading `BATCH` products a round in id order and rewriting only those
 * that differ, one UPDATE per batch. Run by the migration that adds the column and by
 * `pnpm catalogue:search-words`, after a rolling upgrade (replicas of the release before wrote
 * products without the words) or a change to how words are cut. `query` is a QueryRunner's or a
 * DataSource's; `progress` is told the products read so far after each round.
 */
export async function fillSearchTokens(
  query: (sql: string, parameters?: unknown[]) => Promise<unknown>,
  progress: (products: number, written: number) => void = () => undefined,
): Promise<FillResult> {
  const result: FillResult = { products: 0, written: 0 };
  for (let after = '0'; ;) {
    const rows = (await query(
      "SELECT id, title, brand, description, search_tokens AS tokens, DATE_FORMAT(updated_at, '%Y-%m-%d %H:%i:%s.%f') AS stamp FROM `product` WHERE id > ? ORDER BY id LIMIT ?",
      [after, BATCH],
    )) as { id: string | number; title: string; brand: string | null; description: string; tokens: string | null; stamp: string }[];
    if (rows.length === 0) return result;
    const stale = rows.flatMap((row) => {
      const tokens = productSearchTokens(row);
      return tokens === row.tokens ? [] : [{ id: String(row.id), tokens, stamp: row.stamp }];
    });
    // A derived table of (id, tokens, stamp) joined to the rows it rewrites. A product written
    // since it was read (its stamp moved) wrote its own words and is left alone; `updated_at` is set
    // to itself, as the words are no change a reader of the product sees.
    for (const batch of batchesOf(stale, BATCH, (row) => Buffer.byteLength(row.tokens ?? ''))) {
      const values = batch.map(() => 'SELECT CAST(? AS SIGNED) AS id, CAST(? AS CHAR) AS tokens, ? AS stamp').join(' UNION ALL ');
      const outcome = (await query(
        `UPDATE \`product\` p JOIN (${values}) v ON v.id = p.id AND DATE_FORMAT(p.updated_at, '%Y-%m-%d %H:%i:%s.%f') = v.stamp
         SET p.search_tokens = v.tokens, p.updated_at = p.updated_at`,
        batch.flatMap((row) => [row.id, row.tokens, row.stamp]),
      )) as { affectedRows?: number };
      result.written += outcome.affectedRows ?? 0;
    }
    result.products += rows.length;
    progress(result.products, result.written);
    after = String(rows[rows.length - 1]!.id);
  }
}
