const MAX_BIGINT = 9223372036854775807n;

/**
 * True for strings that can be a BIGINT AUTO_INCREMENT id (every table's id here: products,
 * categories, reviews, users). Everything else is refused before SQL sees it: MariaDB would coerce
 * `'12abc'` to 12 and answer for the wrong row, and a number past the signed BIGINT range would fail
 * as an SQL error instead of a coded one.
 */
export function isRowId(id: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;
}

/** Orders decimal id strings numerically, so ties break the same way in SQL and in code. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
