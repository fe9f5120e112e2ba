/**
 * The Prometheus text lines of `serendip_process_memory_bytes` for the process named `name`: its
 * resident set and, within it, the V8 heap in use and allocated, and memory held outside the heap
 * (Buffers and native objects). RSS alone cannot tell a growing JavaScript heap (a leak in our
 * code) from native memory or a heap the garbage collector has not shrunk yet.
 */
export function memoryMetrics(name: string): string[] {
  const usage = process.memoryUsage();
  const kinds: [string, number][] = [
    ['rss', usage.rss],
    ['heap_used', usage.heapUsed],
    ['heap_total', usage.heapTotal],
    ['external', usage.external],
  ];
  return [
    '# HELP serendip_process_memory_bytes Memory of this process: resident, V8 heap used and allocated, outside the heap.',
    '# TYPE serendip_process_memory_bytes gauge',
    ...kinds.map(([kind, bytes]) => `serendip_process_memory_bytes{process="${name}",kind="${kind}"} ${bytes}`),
  ];
}
