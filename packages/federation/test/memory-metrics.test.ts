import { memoryMetrics } from '../src';

describe('memoryMetrics', () => {
  it("publishes the process's resident, heap and outside-heap memory, the heap within the resident set", () => {
    const lines = memoryMetrics('catalogue');
    expect(lines.slice(0, 2)).toEqual([
      '# HELP serendip_process_memory_bytes Memory of this process: resident, V8 heap used and allocated, outside the heap.',
      '# TYPE serendip_process_memory_bytes gauge',
    ]);
    const bytes = Object.fromEntries(
      lines.slice(2).map((line) => {
        const match = /^serendip_process_memory_bytes\{process="catalogue",kind="(\w+)"\} (\d+)$/.exec(line);
        if (!match) throw new Error(`unexpected line: ${line}`);
        return [match[1]!, Number(match[2])];
      }),
    );
    expect(Object.keys(bytes)).toEqual(['rss', 'heap_used', 'heap_total', 'external']);
    expect(bytes.heap_used).toBeGreaterThan(0);
    expect(bytes.heap_used).toBeLessThanOrEqual(bytes.heap_total!);
    expect(bytes.heap_total).toBeLessThan(bytes.rss!);
  });
});
