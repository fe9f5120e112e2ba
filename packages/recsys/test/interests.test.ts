import { cosine, interestAffinity, normalise, recogniseInterests, seededRng, suppressInterests, type InterestSignal, type Rng } from '../src';
import { around, randomUnit } from './helpers';

const DAY = 86_400_000;
const now = new Date('2025-06-01T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

function group(rng: Rng, center: Float32Array, count: number, signal: Partial<InterestSignal> & { categoryId: string | null }): InterestSignal[] {
  return Array.from({ length: count }, (_, i) => ({
    vector: around(rng, center, 0.5),
    weight: 1,
    occurredAt: daysAgo(i % 5),
    ...signal,
  }));
}

describe('recogniseInterests', () => {
  const rng = seededRng(5);
  const baby = randomUnit(rng, 48);
  const running = randomUnit(rng, 48);
  const books = randomUnit(rng, 48);
  const shopper = [
    ...group(rng, baby, 12, { categoryId: 'baby', keywords: ['stroller', 'organic'] }),
    ...group(rng, running, 8, { categoryId: 'running-shoes', keywords: ['trail'] }),
    // A few running signals filed under a neighbouring category.
    ...group(rng, running, 2, { categoryId: 'sportswear' }),
  ];

  it('finds two interests for two separated groups, with their categories and keywords', () => {
    const { interests, avoid } = recogniseInterests(shopper, { now });
    expect(interests).toHaveLength(2);
    const [first, second] = interests;
    expect(cosine(first!.centroid, baby)).toBeGreaterThan(0.9);
    expect(cosine(second!.centroid, running)).toBeGreaterThan(0.9);
    expect(first!.categories[0]).toEqual({ id: 'baby', weight: 1 });
    expect(second!.categories.map((category) => category.id)).toEqual(['running-shoes', 'sportswear']);
    expect(first!.keywords.map((keyword) => keyword.term).sort()).toEqual(['organic', 'stroller']);
    expect([first!.signals, second!.signals]).toEqual([12, 10]);
    expect(first!.weight + second!.weight).toBeCloseTo(1, 12);
    expect(first!.weight).toBeGreaterThan(second!.weight);
    expect(avoid).toEqual([]);
  });

  it('scores an item by the interest it belongs to', () => {
    const profile = recogniseInterests(shopper, { now });
    expect(interestAffinity(profile, around(rng, running, 0.5))).toMatchObject({ interest: 1 });
    expect(interestAffinity(profile, around(rng, baby, 0.5)).score).toBeGreaterThan(0.7);
    expect(interestAffinity(profile, books).score).toBeLessThan(0.3);
  });

  it('lets old signals weigh less', () => {
    const old = group(rng, baby, 10, { categoryId: 'baby', occurredAt: daysAgo(42) });
    const fresh = group(rng, running, 10, { categoryId: 'running-shoes', occurredAt: daysAgo(0) });
    const { interests } = recogniseInterests([...old, ...fresh], { now, halfLifeDays: 14 });
    expect(interests.map((interest) => interest.categories[0]!.id)).toEqual(['running-shoes', 'baby']);
    // Three half-lives: an eighth of the weight.
    expect(interests[1]!.strength / interests[0]!.strength).toBeCloseTo(1 / 8, 6);
  });

  it('lowers affinity near a negative signal and keeps it as an avoid vector', () => {
    const disliked = around(rng, running, 0.3);
    const before = recogniseInterests(shopper, { now });
    const after = recogniseInterests([...shopper, { vector: disliked, weight: -4, occurredAt: daysAgo(1), categoryId: 'running-shoes' }], { now });
    expect(after.avoid).toHaveLength(1);
    expect(cosine(after.avoid[0]!.centroid, disliked)).toBeCloseTo(1, 5);
    expect(after.interests[1]!.strength).toBeLessThan(before.interests[1]!.strength);
    expect(interestAffinity(after, disliked).score).toBeLessThan(interestAffinity(before, disliked).score - 0.1);
    // Far from the negative signal, the baby interest is untouched.
    expect(after.interests[0]!.strength).toBe(before.interests[0]!.strength);
  });

  it('respects maxInterests, keeping the heaviest', () => {
    const centers = Array.from({ length: 7 }, () => randomUnit(rng, 48));
    const signals = centers.flatMap((center, i) => group(rng, center, 10 - i, { categoryId: `c${i}` }));
    expect(recogniseInterests(signals, { now }).interests.map((interest) => interest.categories[0]!.id)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(recogniseInterests(signals, { now, maxInterests: 3 }).interests).toHaveLength(3);
    expect(recogniseInterests(signals, { now, maxInterests: 10 }).interests).toHaveLength(7);
  });

  it('drops interests below minWeight', () => {
    const signals = [...group(rng, baby, 30, { categoryId: 'baby' }), ...group(rng, books, 1, { categoryId: 'books' })];
    expect(recogniseInterests(signals, { now }).interests).toHaveLength(1);
    expect(recogniseInterests(signals, { now, minWeight: 0 }).interests).toHaveLength(2);
  });

  it('gives an empty profile for no signals, and affinity 0 with no interest', () => {
    const profile = recogniseInterests([], { now });
    expect(profile).toEqual({ interests: [], avoid: [] });
    expect(interestAffinity(profile, baby)).toEqual({ score: 0, interest: -1 });
  });

  it('is deterministic', () => {
    expect(recogniseInterests(shopper, { now })).toEqual(recogniseInterests(shopper, { now }));
  });

  it('refuses vectors of different dimensions and bad options', () => {
    const mixed = [shopper[0]!, { ...shopper[1]!, vector: [1, 0, 0] }];
    expect(() => recogniseInterests(mixed, { now })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'vector' }));
    expect(() => recogniseInterests(shopper, { now, maxInterests: 0 })).toThrow(expect.objectContaining({ field: 'maxInterests' }));
  });
});

describe('suppressInterests', () => {
  const unit = (values: number[]) => normalise(values);
  const profile = {
    interests: [
      { centroid: unit([1, 0, 0]), weight: 0.5, strength: 5, categories: [], keywords: [], signals: 5 },
      { centroid: unit([0, 1, 0]), weight: 0.3, strength: 3, categories: [], keywords: [], signals: 3 },
      { centroid: unit([0, 0, 1]), weight: 0.2, strength: 2, categories: [], keywords: [], signals: 2 },
    ],
    avoid: [{ centroid: unit([1, 1, 0]), strength: 1 }],
  };

  it('drops the interests close to a removed one and re-weights the rest to sum to 1', () => {
    const result = suppressInterests(profile, [[0.95, 0.05, 0]]);
    expect(result.interests.map((interest) => interest.signals)).toEqual([3, 2]);
    expect(result.interests.map((interest) => interest.weight)).toEqual([0.6, 0.4].map((w) => expect.closeTo(w)));
    expect(result.avoid).toBe(profile.avoid);
  });

  it('keeps interests that are only somewhat alike, and everything when nothing is suppressed', () => {
    expect(suppressInterests(profile, [[1, 1, 0]]).interests).toHaveLength(3);
    expect(suppressInterests(profile, [])).toBe(profile);
    expect(
      suppressInterests(profile, [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]).interests,
    ).toEqual([]);
  });
});
