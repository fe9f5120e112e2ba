import { bootstrapInterval, pairedBootstrap, quantile } from './bootstrap';

describe('quantile', () => {
  it('takes the nearest rank of the unsorted values', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 0.975)).toBe(5);
    expect(quantile([5, 1, 4, 2, 3], 0)).toBe(1);
    expect(quantile([], 0.5)).toBe(0);
  });
});

describe('pairedBootstrap', () => {
  const difference = (means: readonly number[]) => means[0]! - means[1]!;

  it('gives the statistic on the whole sample inside its interval, and repeats with its seed', () => {
    const a = [0.9, 0.4, 0.7, 0.2, 0.8, 0.5, 0.6, 0.3];
    const b = [0.7, 0.5, 0.5, 0.1, 0.6, 0.5, 0.4, 0.3];
    const interval = pairedBootstrap([a, b], difference, { resamples: 500, seed: 7 });
    expect(interval.value).toBeCloseTo(0.1, 10);
    expect(interval.low).toBeLessThan(interval.value);
    expect(interval.high).toBeGreaterThan(interval.value);
    expect(pairedBootstrap([a, b], difference, { resamples: 500, seed: 7 })).toEqual(interval);
  });

  it('pairs the columns: a constant gap between two methods has no spread, however much the units differ', () => {
    const a = [0.1, 0.9, 0.3, 0.7, 0.5];
    const shifted = a.map((value) => value + 0.2);
    const interval = pairedBootstrap([shifted, a], difference, { resamples: 200, seed: 1 });
    expect(interval.low).toBeCloseTo(0.2, 10);
    expect(interval.high).toBeCloseTo(0.2, 10);
    // Unpaired, the same columns would spread: resampling each on its own moves their means apart.
    const alone = pairedBootstrap([a], (means) => means[0]!, { resamples: 200, seed: 1 });
    expect(alone.high - alone.low).toBeGreaterThan(0.2);
  });

  it('narrows as the confidence falls, and refuses columns of different lengths', () => {
    const a = Array.from({ length: 40 }, (_, index) => (index * 37) % 11);
    const wide = pairedBootstrap([a], (means) => means[0]!, { resamples: 400, seed: 3, confidence: 0.95 });
    const narrow = pairedBootstrap([a], (means) => means[0]!, { resamples: 400, seed: 3, confidence: 0.5 });
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low);
    expect(() => pairedBootstrap([[1, 2], [1]], difference, { resamples: 10, seed: 1 })).toThrow('one value per unit');
  });
});

describe('bootstrapInterval', () => {
  it('resamples units for a statistic that is no mean, and pairedBootstrap agrees with it on means', () => {
    const correct = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1];
    const share = (indices: readonly number[]) => indices.filter((index) => correct[index] === 1).length / indices.length;
    const interval = bootstrapInterval(correct.length, share, { resamples: 300, seed: 5 });
    expect(interval.value).toBeCloseTo(0.7, 10);
    expect(interval.low).toBeLessThan(0.7);
    expect(interval.high).toBeGreaterThan(0.7);
    expect(pairedBootstrap([correct], (means) => means[0]!, { resamples: 300, seed: 5 })).toEqual(interval);
  });
});
