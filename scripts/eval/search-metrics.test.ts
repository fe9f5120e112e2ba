import { mean, ndcgAt, recallAt, withoutIgnored } from './search-metrics';

describe('nDCG@k with grades', () => {
  const grades = new Map([
    ['a', 2],
    ['b', 1],
    ['c', 1],
  ]);

  it('is 1 for any ranking in grade order, ties either way', () => {
    expect(ndcgAt(['a', 'b', 'c'], grades, 10)).toBeCloseTo(1, 10);
    expect(ndcgAt(['a', 'c', 'b', 'x'], grades, 10)).toBeCloseTo(1, 10);
  });

  it('weighs gain 2^grade − 1 by 1 / log2(position + 1) against the ideal order', () => {
    // DCG = 1/1 + 0 + 3/2; ideal = 3/1 + 1/log2(3) + 1/2.
    expect(ndcgAt(['b', 'x', 'a'], grades, 10)).toBeCloseTo(2.5 / (3.5 + 1 / Math.log2(3)), 10);
  });

  it('counts nothing past k, and the ideal only to k', () => {
    expect(ndcgAt(['x', 'a'], grades, 1)).toBe(0);
    expect(ndcgAt(['a', 'x'], grades, 1)).toBeCloseTo(1, 10);
  });

  it('is 0 when nothing is relevant', () => {
    expect(ndcgAt(['a'], new Map(), 10)).toBe(0);
  });
});

describe('recall@k', () => {
  const grades = new Map([
    ['a', 2],
    ['b', 1],
    ['c', 1],
  ]);

  it('divides the relevant products found by min(k, relevant products)', () => {
    expect(recallAt(['a', 'x', 'b'], grades, 50)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(['a', 'x', 'b'], grades, 2)).toBe(0.5);
    expect(recallAt(['x', 'a', 'b', 'c'], grades, 2)).toBe(0.5);
    expect(recallAt(['a', 'b'], grades, 2)).toBe(1);
  });

  it('is 0 when nothing is relevant', () => {
    expect(recallAt(['a'], new Map(), 50)).toBe(0);
  });
});

describe('withoutIgnored and mean', () => {
  it('takes ignored products out of a ranking, so the next ones move up', () => {
    const grades = new Map([['zh', 2]]);
    const ranked = withoutIgnored(['en1', 'en2', 'zh'], new Set(['en1', 'en2']));
    expect(ranked).toEqual(['zh']);
    expect(ndcgAt(ranked, grades, 10)).toBe(1);
  });

  it('averages, and says NaN for no values rather than 0', () => {
    expect(mean([1, 2])).toBe(1.5);
    expect(mean([])).toBeNaN();
  });
});
