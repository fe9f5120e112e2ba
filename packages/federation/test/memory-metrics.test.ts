import { memoryByKind } from '../src';

describe('memoryByKind', () => {
  it("reads the process's resident, heap and outside-heap memory, the heap within the resident set", () => {
    const bytes = Object.fromEntries(memoryByKind());
    expect(Object.keys(bytes)).toEqual(['rss', 'heap_used', 'heap_total', 'external']);
    expect(bytes.heap_used).toBeGreaterThan(0);
    expect(bytes.heap_used).toBeLessThanOrEqual(bytes.heap_total!);
    expect(bytes.heap_total).toBeLessThan(bytes.rss!);
  });
});
