import { MicroBatcher, type MicroBatcherOptions } from '../micro-batcher';

/**
 * Gathers the rows that concurrent jobs hand in one by one into one `write` call, so a sink
 * writes them in one statement. Resolves once the row is written; when a batch fails, its rows
 * are retried one by one (MicroBatcher), so one bad row fails only its own job.
 */
export function batchWrites<T>(write: (rows: T[]) => Promise<void>, options: MicroBatcherOptions): (row: T) => Promise<void> {
  const batcher = new MicroBatcher<T, void>(async (rows) => {
    await write(rows);
    return rows.map(() => undefined);
  }, options);
  return (row) => batcher.submit(row);
}
