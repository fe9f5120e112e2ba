import { bucketSql, DURATION_BUCKETS, eventCountBuckets, GAP_BUCKETS, histogramMean, histogramMedian, representative } from './histogram';

describe('analytics histograms', () => {
  it('cover their domains without gaps or overlaps', () => {
    for (const buckets of [DURATION_BUCKETS, GAP_BUCKETS, eventCountBuckets(5)]) {
      buckets.slice(1).forEach((bucket, index) => expect(bucket.lower).toBe(buckets[index]!.upper));
      expect(buckets[buckets.length - 1]!.upper).toBeNull();
    }
    expect(eventCountBuckets(3)).toEqual([
      { lower: 1, upper: 2 },
      { lower: 2, upper: 3 },
      { lower: 3, upper: null },
    ]);
    expect(eventCountBuckets(1)).toEqual([{ lower: 1, upper: null }]);
  });

  it('stand for a unit bucket by its value, a wider one by its midpoint and the last by its lower bound', () => {
    expect(representative({ lower: 4, upper: 5 })).toBe(4);
    expect(representative({ lower: 120, upper: 300 })).toBe(210);
    expect(representative({ lower: 3600, upper: null })).toBe(3600);
  });

  it('estimate the mean and the lower median from counts', () => {
    const buckets = eventCountBuckets(4);
    expect(histogramMean(buckets, [2, 0, 1, 1])).toBe((2 + 3 + 4) / 4);
    expect(histogramMedian(buckets, [2, 0, 1, 1])).toBe(1);
    expect(histogramMedian(buckets, [1, 0, 1, 1])).toBe(3);
    expect(histogramMean(buckets, [0, 0, 0, 0])).toBeNull();
    expect(histogramMedian(buckets, [0, 0, 0, 0])).toBeNull();
  });

  it('maps values to bucket indexes in SQL, in the unit of the expression', () => {
    expect(
      bucketSql(
        'd',
        [
          { lower: 0, upper: 1 },
          { lower: 1, upper: 10 },
          { lower: 10, upper: null },
        ],
        1000,
      ),
    ).toBe('CASE WHEN d < 1000 THEN 0 WHEN d < 10000 THEN 1 ELSE 2 END');
  });
});
