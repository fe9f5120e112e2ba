/**
 * Bytes of row data one multi-row statement carries at most (about): a quarter of MariaDB's and
 * MySQL's default max_allowed_packet (16 MiB, 64 MiB in MySQL 8), leaving room for escaping and the
 * statement itself.
 */
export const STATEMENT_BYTES = 4 * 1024 * 1024;

/**
 * `items` in order, cut into batches of at most `maxCount` items and, past the first item of a
 * batch, at most `maxBytes` of `bytesOf` between them: a multi-row statement per batch then fits in
 * a packet however long some rows are (a row larger than `maxBytes` goes alone).
 */
export function* batchesOf<T>(items: Iterable<T>, maxCount: number, bytesOf: (item: T) => number, maxBytes = STATEMENT_BYTES): Generator<T[]> {
  if (!(Number.isInteger(maxCount) && maxCount >= 1)) throw new RangeError(`maxCount must be a whole number >= 1, got ${maxCount}`);
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = bytesOf(item);
    if (batch.length > 0 && (batch.length >= maxCount || bytes + size > maxBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
