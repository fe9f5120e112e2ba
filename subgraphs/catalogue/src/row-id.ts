const MAX_BIGINT = 9223372036854775807n;

/**
 * True for strings that can be a BIGINT AUTO_INCREMENT id. Everything else is filtered out before
 * SQL sees it: MariaDB would coerce `'12abc'` to 12 and answer for the wrong row.
 */
export function isRowId(id: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;
}
