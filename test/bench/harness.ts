import { formatColumns } from '@serendip/config';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile `p` (0–100) of sorted values; NaN for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Closed-loop load: `concurrency` callers each run `task` back to back for `seconds`, after a
 * warm-up that is not counted. The same loop drives every side of a comparison.
 */
export async function runLoad(
  name: string,
  task: () => Promise<boolean>,
  options: { concurrency: number; seconds: number; warmupSeconds: number },
): Promise<LoadResult> {
  const loop = async (until: number, record: boolean, latencies: number[], failures: { count: number }) => {
    while (performance.now() < until) {
      const started = performance.now();
      let ok: boolean;
      try {
        ok = await task();
      } catch {
        ok = false;
      }
      if (!record) continue;
      latencies.push(performance.now() - started);
      if (!ok) failures.count += 1;
    }
  };
  const warmUntil = performance.now() + options.warmupSeconds * 1000;
  await Promise.all(Array.from({ length: options.concurrency }, () => loop(warmUntil, false, [], { count: 0 })));
  const latencies: number[] = [];
  const failures = { count: 0 };
  const started = performance.now();
  const until = started + options.seconds * 1000;
  await Promise.all(Array.from({ length: options.concurrency }, () => loop(until, true, latencies, failures)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors: failures.count,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export function printTable(rows: LoadResult[]): void {
  printColumns(
    ['case', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms'],
    rows.map((row) => [row.name, String(row.requests), String(row.errors), row.perSecond.toFixed(1), row.p50Ms.toFixed(2), row.p99Ms.toFixed(2)]),
  );
}

/** A table on stdout, as every CLI here prints one (formatColumns). */
export function printColumns(header: readonly string[], lines: readonly (readonly string[])[]): void {
  console.log(formatColumns(header, lines));
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inParallel<T>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}
