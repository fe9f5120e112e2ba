/** The kinds of memory `serendip_process_memory_bytes` publishes, in order. */
export type MemoryKind = 'rss' | 'heap_used' | 'heap_total' | 'external';

/**
 * This process's resident set and, within it, the V8 heap in use and allocated, and memory held
 * outside the heap (Buffers and native objects), in bytes. RSS alone cannot tell a growing
 * JavaScript heap (a leak in our code) from native memory or a heap the garbage collector has not
 * shrunk yet.
 */
export function memoryByKind(): [MemoryKind, number][] {
  const usage = process.memoryUsage();
  return [
    ['rss', usage.rss],
    ['heap_used', usage.heapUsed],
    ['heap_total', usage.heapTotal],
    ['external', usage.external],
  ];
}
