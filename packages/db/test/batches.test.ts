import { batchesOf, STATEMENT_BYTES } from '../src/batches';

describe('batchesOf', () => {
  const sizes = (batches: Iterable<number[]>) => [...batches].map((batch) => batch.length);

  it('cuts by count when the rows are small, and keeps their order', () => {
    const items = Array.from({ length: 7 }, (_, index) => index);
    expect([...batchesOf(items, 3, () => 1)]).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('cuts by bytes before the count when rows are large, and lets a row larger than the limit go alone', () => {
    expect(sizes(batchesOf([4, 4, 4, 4, 4], 100, (item) => item, 10))).toEqual([2, 2, 1]);
    expect([...batchesOf([1, 50, 1, 1], 100, (item) => item, 10)]).toEqual([[1], [50], [1, 1]]);
    expect([...batchesOf([], 5, () => 1)]).toEqual([]);
    expect(STATEMENT_BYTES).toBe(4 * 1024 * 1024);
  });

  it('refuses a count that cannot make progress', () => {
    expect(() => [...batchesOf([1], 0, () => 1)]).toThrow(RangeError);
  });
});
