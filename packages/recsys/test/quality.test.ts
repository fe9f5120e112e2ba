import { DEFAULT_QUALITY_PRIOR, qualityMultiplier, RecsysError, reviewQuality, type ReviewTally } from '../src';

const tally = (stars: number[], positive: number, negative: number, analysed = stars.length): ReviewTally => ({
  ratings: stars.length,
  ratingSum: stars.reduce((sum, star) => sum + star, 0),
  analysed,
  positive,
  negative,
});
const none = tally([], 0, 0);
const base = reviewQuality(none);

describe('reviewQuality', () => {
  it('gives a product without reviews the prior, and stays within [0, 1]', () => {
    expect(base).toBeCloseTo(0.5 * (3 / 4) + 0.5 * 0.75);
    expect(reviewQuality(tally(Array(1000).fill(5), 1000, 0))).toBeLessThanOrEqual(1);
    expect(reviewQuality(tally(Array(1000).fill(5), 1000, 0))).toBeCloseTo(1, 2);
    expect(reviewQuality(tally(Array(1000).fill(1), 0, 1000))).toBeCloseTo(0, 2);
  });

  it('trusts many reviews more than a few', () => {
    const fewBad = reviewQuality(tally([1, 1], 0, 2));
    const manyBad = reviewQuality(tally(Array(50).fill(1), 0, 50));
    expect(fewBad).toBeLessThan(base);
    expect(manyBad).toBeLessThan(fewBad);
    // Two one-star reviews against five pseudo-reviews of an ordinary product: (2·1 + 5·4) / 7 stars.
    expect(fewBad).toBeCloseTo(0.5 * ((22 / 7 - 1) / 4) + 0.5 * (((-2 + 2.5) / 7 + 1) / 2));
  });

  it('reads the text as well as the stars: glowing stars over complaining texts rank below consistent praise', () => {
    const consistent = reviewQuality(tally(Array(20).fill(5), 20, 0));
    const contradicted = reviewQuality(tally(Array(20).fill(5), 2, 15));
    expect(contradicted).toBeLessThan(consistent);
    // Unanalysed texts say nothing either way: only the stars move it.
    expect(reviewQuality(tally(Array(20).fill(5), 0, 0, 0))).toBeGreaterThan(base);
  });

  it('refuses impossible tallies, naming the field', () => {
    const field = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        expect(error).toBeInstanceOf(RecsysError);
        return (error as RecsysError).field;
      }
      throw new Error('expected a RecsysError');
    };
    expect(field(() => reviewQuality({ ...none, ratings: -1 }))).toBe('ratings');
    expect(field(() => reviewQuality({ ratings: 2, ratingSum: 11, analysed: 0, positive: 0, negative: 0 }))).toBe('ratingSum');
    expect(field(() => reviewQuality({ ratings: 1, ratingSum: 5, analysed: 1, positive: 1, negative: 1 }))).toBe('analysed');
    expect(field(() => reviewQuality(none, { ...DEFAULT_QUALITY_PRIOR, rating: 6 }))).toBe('prior.rating');
    expect(field(() => qualityMultiplier(1.2, 0.3))).toBe('quality');
    expect(field(() => qualityMultiplier(0.5, -0.1))).toBe('weight');
  });
});

describe('qualityMultiplier', () => {
  it('leaves an unreviewed product alone and moves others by at most the weight', () => {
    expect(qualityMultiplier(base, 0.3)).toBe(1);
    expect(qualityMultiplier(1, 0.3)).toBeCloseTo(1.3);
    expect(qualityMultiplier(0, 0.3)).toBeCloseTo(0.7);
    expect(qualityMultiplier(0.2, 0)).toBe(1);
    expect(qualityMultiplier(0.9, 0.3)).toBeGreaterThan(1);
    expect(qualityMultiplier(0.4, 0.3)).toBeLessThan(1);
  });
});
