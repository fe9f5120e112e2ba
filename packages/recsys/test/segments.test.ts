import {
  alignSegments,
  assignSegment,
  behaviourFeatureNames,
  createLinUcbState,
  findSegments,
  MAX_CONTEXT_SEGMENTS,
  RecsysError,
  seededRng,
  segmentFeatures,
  segmentModelFromJson,
  overIndexedProducts,
  priceLevels,
  segmentLabels,
  segmentSummary,
  differencePhrase,
  segmentModelToJson,
  segmentContext,
  solveLinUcb,
  updateLinUcb,
  type SegmentDescription,
  type Rng,
  type SegmentEventType,
  type ShopperActivity,
} from '../src';
import { around, randomUnit } from './helpers';

type Group = 'nightBuyers' | 'dayBrowsers' | 'searchers';
const GROUPS: Group[] = ['nightBuyers', 'dayBrowsers', 'searchers'];
const CATEGORIES = ['shoes', 'watches', 'bags', 'phones', 'laptops', 'toys', 'books', 'garden', 'kitchen', 'sports'];
const DIMENSION = 16;

const between = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));

/** `events` spread over the given hours and categories at random. */
function spread(rng: Rng, events: number, hours: readonly number[], categories: readonly string[]): Pick<ShopperActivity, 'hours' | 'categories'> {
  const byHour = new Array<number>(24).fill(0);
  const byCategory: Record<string, number> = {};
  for (let i = 0; i < events; i++) {
    const hour = hours[Math.floor(rng() * hours.length)]!;
    byHour[hour]!++;
    const category = categories[Math.floor(rng() * categories.length)]!;
    byCategory[category] = (byCategory[category] ?? 0) + 1;
  }
  return { hours: byHour, categories: byCategory };
}

/** Some categories drawn without replacement. */
function someOf(rng: Rng, items: readonly string[], count: number): string[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

/**
 * Three planted kinds of shopper: night-time (00-04 UTC) buyers of one category, daytime (08-15)
 * browsers of five to seven categories with many views and clicks, and evening (18-23) searchers.
 * Each group's interests lie around a direction of its own, with noise.
 */
function plant(seed: number, perGroup: number, withInterest = true): { shoppers: ShopperActivity[]; labels: Map<string, Group> } {
  const rng = seededRng(seed);
  const centers = Object.fromEntries(GROUPS.map((group) => [group, randomUnit(rng, DIMENSION)])) as Record<Group, Float32Array>;
  const shoppers: ShopperActivity[] = [];
  const labels = new Map<string, Group>();
  for (let i = 0; i < perGroup * GROUPS.length; i++) {
    // Interleaved so that no group sits in one block of the input.
    const group = GROUPS[i % GROUPS.length]!;
    let counts: Record<SegmentEventType, number>;
    let place: Pick<ShopperActivity, 'hours' | 'categories'>;
    let sessions: number;
    let keywords: { term: string; weight: number }[];
    let value: Pick<ShopperActivity, 'spend' | 'priceLevel'>;
    if (group === 'nightBuyers') {
      counts = { VIEW: between(rng, 2, 5), CLICK: between(rng, 0, 2), CART: between(rng, 1, 2), PURCHASE: between(rng, 1, 2), SEARCH: between(rng, 0, 1) };
      place = spread(rng, sum(counts), [0, 1, 2, 3, 4], [rng() < 0.75 ? 'shoes' : 'watches']);
      sessions = between(rng, 1, 2);
      keywords = [
        { term: 'leather', weight: 0.6 },
        { term: 'boots', weight: 0.4 },
      ];
      // Dear shoes, bought.
      value = { spend: counts.PURCHASE * between(rng, 90, 200), priceLevel: 0.6 + 0.3 * rng() };
    } else if (group === 'dayBrowsers') {
      counts = {
        VIEW: between(rng, 15, 40),
        CLICK: between(rng, 5, 15),
        CART: rng() < 0.2 ? 1 : 0,
        PURCHASE: rng() < 0.05 ? 1 : 0,
        SEARCH: between(rng, 0, 2),
      };
      place = spread(rng, sum(counts), [8, 9, 10, 11, 12, 13, 14, 15], someOf(rng, CATEGORIES, between(rng, 5, 7)));
      sessions = between(rng, 3, 6);
      keywords = [
        { term: 'sale', weight: 0.5 },
        { term: 'new', weight: 0.3 },
      ];
      value = { spend: counts.PURCHASE * between(rng, 10, 40), priceLevel: 0.2 + 0.3 * rng() };
    } else {
      counts = { VIEW: between(rng, 2, 6), CLICK: between(rng, 1, 3), CART: 0, PURCHASE: 0, SEARCH: between(rng, 10, 25) };
      place = spread(rng, sum(counts), [18, 19, 20, 21, 22, 23], someOf(rng, CATEGORIES, 2));
      sessions = between(rng, 2, 4);
      keywords = [{ term: 'cheap', weight: 0.7 }];
      // Bargain hunters; a few viewed only products without a price.
      value = { spend: 0, priceLevel: rng() < 0.1 ? null : -0.5 - 0.3 * rng() };
    }
    const userId = `u${i}`;
    labels.set(userId, group);
    shoppers.push({ userId, interest: withInterest ? around(rng, centers[group], 1) : null, counts, ...place, sessions, keywords, ...value });
  }
  return { shoppers, labels };
}

function sum(counts: Record<SegmentEventType, number>): number {
  return counts.VIEW + counts.CLICK + counts.CART + counts.PURCHASE + counts.SEARCH;
}

/** Share of shoppers whose segment's majority group is their own group. */
function purity(assignments: ReadonlyMap<string, number>, labels: ReadonlyMap<string, Group>): number {
  const counts = new Map<number, Map<Group, number>>();
  for (const [userId, segment] of assignments) {
    const count = counts.get(segment) ?? new Map<Group, number>();
    count.set(labels.get(userId)!, (count.get(labels.get(userId)!) ?? 0) + 1);
    counts.set(segment, count);
  }
  return [...counts.values()].reduce((total, count) => total + Math.max(...count.values()), 0) / assignments.size;
}

/** The planted group most members of each segment come from. */
function majority(assignments: ReadonlyMap<string, number>, labels: ReadonlyMap<string, Group>, segment: number): Group {
  const count = new Map<Group, number>();
  for (const [userId, assigned] of assignments) if (assigned === segment) count.set(labels.get(userId)!, (count.get(labels.get(userId)!) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]![0];
}

function expectRecsysError(run: () => unknown, field: string): void {
  expect(run).toThrow(RecsysError);
  expect(run).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field }));
}

const meanSquare = (vectors: readonly Float32Array[], from: number, to: number): number =>
  vectors.reduce((total, vector) => total + vector.slice(from, to).reduce((s, x) => s + x * x, 0), 0) / vectors.length;

describe('findSegments', () => {
  const planted = plant(1, 60);
  const result = findSegments(planted.shoppers, { seed: 3 });

  it('chooses k = 3 by silhouette among the stable k and recovers the planted groups', () => {
    expect(result.model.k).toBe(3);
    expect(result.model.silhouettes.map((score) => score.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(result.model.silhouettes.find((score) => score.k === 3)!.agreement).toBeGreaterThanOrEqual(0.8);
    const best = result.model.silhouettes.find((score) => score.k === 3)!.silhouette;
    for (const score of result.model.silhouettes) expect(score.silhouette).toBeLessThanOrEqual(best);
    expect(purity(result.assignments, planted.labels)).toBeGreaterThanOrEqual(0.9);
    expect(result.assignments.size).toBe(planted.shoppers.length);
    expect(result.segments.map((segment) => segment.size).reduce((a, b) => a + b, 0)).toBe(planted.shoppers.length);
  });

  it('recovers them from behaviour alone when nobody has an interest', () => {
    const { shoppers, labels } = plant(2, 60, false);
    const alone = findSegments(shoppers, { seed: 3 });
    expect(alone.model.k).toBe(3);
    expect(alone.model.featureScale.interestDimension).toBe(0);
    expect(alone.model.dimension).toBe(behaviourFeatureNames(alone.model.featureScale.categories).length);
    expect(purity(alone.assignments, labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('is not thrown off by interests that say nothing about the groups', () => {
    const rng = seededRng(9);
    const random = planted.shoppers.map((activity) => ({ ...activity, interest: randomUnit(rng, DIMENSION) }));
    const noisy = findSegments(random, { seed: 3 });
    expect(noisy.model.k).toBe(3);
    expect(purity(noisy.assignments, planted.labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('finds interest groups among shoppers who behave alike', () => {
    const rng = seededRng(10);
    const centers = GROUPS.map(() => randomUnit(rng, DIMENSION));
    // Only the daytime browsers, each given one of three interests in turn.
    const browsers = plant(1, 90)
      .shoppers.filter((_, i) => GROUPS[i % GROUPS.length] === 'dayBrowsers')
      .map((activity, i) => ({ ...activity, interest: around(rng, centers[i % GROUPS.length]!, 0.5) }));
    const labels = new Map(browsers.map((activity, i) => [activity.userId, GROUPS[i % GROUPS.length]!]));
    const byInterest = findSegments(browsers, { seed: 1 });
    expect(byInterest.model.k).toBe(3);
    expect(purity(byInterest.assignments, labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('describes each segment with the planted traits', () => {
    const of = (group: Group) => result.segments.find((segment) => majority(result.assignments, planted.labels, segment.segment) === group)!;
    const night = of('nightBuyers');
    const day = of('dayBrowsers');
    const searchers = of('searchers');
    expect(new Set([night.segment, day.segment, searchers.segment]).size).toBe(3);

    expect(night.summary).toBe('night-time occasional buyers of 1 category, mostly shoes');
    expect(night.relativeActivity).toBeLessThanOrEqual(2 / 3);
    expect(night.activeHours.every((hour) => hour <= 4)).toBe(true);
    expect(night.dayParts.night).toBe(1);
    expect(night.conversion).toBeGreaterThanOrEqual(0.9);
    expect(night.purchasesPerShopper).toBeGreaterThanOrEqual(1);
    expect(night.topCategories[0]!.categoryId).toBe('shoes');
    expect(night.topKeywords).toEqual(['leather', 'boots']);

    expect(day.summary).toMatch(/^daytime frequent browsers of [5-7] categories$/);
    expect(day.sessionsPerShopper).toBeGreaterThanOrEqual(3);
    expect(day.activeHours.every((hour) => hour >= 8 && hour <= 15)).toBe(true);
    expect(day.conversion).toBeLessThan(0.2);
    expect(day.eventsPerShopper).toBeGreaterThan(20);
    expect(day.topCategories).toHaveLength(3);
    expect(day.topCategories[0]!.share).toBeLessThan(0.25);

    expect(searchers.summary).toBe('evening searchers of 2 categories');
    expect(searchers.eventShares.SEARCH).toBeGreaterThan(0.5);
    expect(searchers.conversion).toBe(0);
    expect(searchers.topKeywords).toEqual(['cheap']);

    const sizes = result.segments.map((segment) => segment.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });

  it('labels each segment by what sets it apart, every label its own', () => {
    const of = (group: Group) => result.segments.find((segment) => majority(result.assignments, planted.labels, segment.segment) === group)!;
    const labels = result.segments.map((segment) => segment.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const segment of result.segments) {
      const effects = segment.differences.map((difference) => Math.abs(difference.effect));
      expect(effects).toEqual([...effects].sort((a, b) => b - a));
      expect(segment.label.startsWith(differencePhrase(segment.differences[0]!))).toBe(true);
    }
    // The searchers search far more than anyone else, and the night buyers buy far more: each group's largest trait.
    const searches = of('searchers').differences.find((difference) => difference.feature === 'log1p SEARCH')!;
    expect(searches.effect).toBeGreaterThan(1);
    expect(searches.segment).toBeGreaterThan(10);
    expect(searches.others).toBeLessThan(2);
    expect(
      of('searchers')
        .differences.slice(0, 3)
        .map((difference) => difference.feature),
    ).toContain('log1p SEARCH');
    expect(
      of('nightBuyers')
        .differences.slice(0, 4)
        .map((difference) => difference.feature),
    ).toEqual(expect.arrayContaining(['night share']));
    // Spend and price level as money and price ratios, over the priced members only.
    const spend = of('nightBuyers').differences.find((difference) => difference.feature === 'log1p spend')!;
    expect(spend.effect).toBeGreaterThan(1);
    expect(spend.segment).toBeGreaterThan(90);
    expect(differencePhrase(spend)).toMatch(/^big spenders \(\d+ vs \d+(\.\d)? spent per shopper\)$/);
    const cheap = of('searchers').differences.find((difference) => difference.feature === 'price level')!;
    expect(cheap.effect).toBeLessThan(-1);
    expect(cheap.segment).toBeGreaterThan(Math.exp(-0.81));
    expect(cheap.segment).toBeLessThan(Math.exp(-0.5));
    expect(differencePhrase(cheap)).toMatch(/^buys low-priced \(0\.\d\d× vs 1\.\d\d× the category's median price\)$/);
    for (const segment of result.segments) for (const difference of segment.differences) expect(Number.isFinite(difference.effect)).toBe(true);
    for (const segment of result.segments) expect(segment.share).toBeCloseTo(segment.size / planted.shoppers.length, 12);
  });

  it('gives the same model, assignments and descriptions for the same seed', () => {
    const again = findSegments(planted.shoppers, { seed: 3 });
    expect(segmentModelToJson(again.model)).toEqual(segmentModelToJson(result.model));
    expect([...again.assignments]).toEqual([...result.assignments]);
    expect(again.segments).toEqual(result.segments);
  });

  it('weighs the behaviour and interest parts to a mean squared length of 1 each', () => {
    const vectors = planted.shoppers.map((activity) => segmentFeatures(activity, result.model.featureScale));
    const width = behaviourFeatureNames(result.model.featureScale.categories).length;
    expect(vectors[0]).toHaveLength(result.model.dimension);
    expect(result.model.dimension).toBe(width + DIMENSION);
    // Clipping at 3 σ can only shorten the behaviour part.
    expect(meanSquare(vectors, 0, width)).toBeGreaterThan(0.9);
    expect(meanSquare(vectors, 0, width)).toBeLessThanOrEqual(1 + 1e-5);
    expect(meanSquare(vectors, width, width + DIMENSION)).toBeCloseTo(1, 4);
    const halfInterest = findSegments(planted.shoppers, { seed: 3, interestWeight: 0.5, candidates: [3] });
    const halved = planted.shoppers.map((activity) => segmentFeatures(activity, halfInterest.model.featureScale));
    expect(meanSquare(halved, width, width + DIMENSION)).toBeCloseTo(0.25, 4);
  });

  it('gives a constant feature and a missing interest no weight', () => {
    // Nobody clicks: the CLICK column is constant.
    const shoppers = planted.shoppers.map((activity) => ({ ...activity, counts: { ...activity.counts, CLICK: 0 } }));
    const { model } = findSegments(shoppers, { candidates: [3] });
    const click = behaviourFeatureNames(model.featureScale.categories).indexOf('log1p CLICK');
    expect(model.featureScale.spread[click]).toBe(0);
    const vector = segmentFeatures({ ...shoppers[0]!, counts: { ...shoppers[0]!.counts, CLICK: 50 }, interest: null }, model.featureScale);
    expect(vector[click]).toBe(0);
    expect(Array.from(vector.slice(model.dimension - DIMENSION)).every((x) => x === 0)).toBe(true);
  });

  it('keeps the top categories as columns, most events first', () => {
    const { categories } = result.model.featureScale;
    expect(categories).toHaveLength(8);
    expect(categories[0]).toBe('shoes');
    expect(findSegments(planted.shoppers, { topCategories: 2, candidates: [3] }).model.featureScale.categories).toEqual(categories.slice(0, 2));
  });

  it('answers k = 1 for fewer than 3 shoppers', () => {
    const two = findSegments(planted.shoppers.slice(0, 2));
    expect(two.model.k).toBe(1);
    expect(two.model.silhouettes).toEqual([]);
    expect([...two.assignments.values()]).toEqual([0, 0]);
    expect(two.segments).toHaveLength(1);
  });
});

describe('alignSegments', () => {
  const planted = plant(1, 60);
  const before = findSegments(planted.shoppers, { seed: 3 });
  const groupNumbers = (assignments: ReadonlyMap<string, number>, k: number) =>
    Object.fromEntries(Array.from({ length: k }, (_, segment) => [majority(assignments, planted.labels, segment), segment]));

  it('gives the previous numbers back when the refit found the same segments under other numbers', () => {
    const permutation = [2, 0, 1];
    const previous = new Map([...before.assignments].map(([userId, segment]) => [userId, permutation[segment]!]));
    const aligned = alignSegments(before, previous);
    expect([...aligned.assignments]).toEqual([...previous]);
    // The centroids moved with their numbers: placing a shopper anew gives the new number.
    for (const activity of planted.shoppers) expect(assignSegment(aligned.model, activity)).toBe(aligned.assignments.get(activity.userId));
    for (const description of aligned.segments) {
      expect(description.size).toBe([...aligned.assignments.values()].filter((segment) => segment === description.segment).length);
    }
  });

  it('keeps each planted group under its number through a refit on changed shoppers that numbers them otherwise', () => {
    // A quarter of the shoppers leave, 90 new ones come, the order changes and so does the seed.
    const later = plant(1, 90)
      .shoppers.filter((_, i) => i % 4 !== 0)
      .reverse();
    const refit = findSegments(later, { seed: 11, candidates: [3] });
    const labels = new Map([...plant(1, 90).labels]);
    const groups = (assignments: ReadonlyMap<string, number>) =>
      Object.fromEntries(Array.from({ length: 3 }, (_, segment) => [majority(assignments, labels, segment), segment]));
    const wanted = groupNumbers(before.assignments, 3);
    // Unaligned, the refit numbers the groups differently: this is what alignment is for.
    expect(groups(refit.assignments)).not.toEqual(wanted);
    expect(groups(alignSegments(refit, before.assignments).assignments)).toEqual(wanted);
  });

  it('keeps numbers within 0…k−1 when the fit has fewer segments than before, and numbers a segment without history from the smallest free number', () => {
    const two = findSegments(planted.shoppers, { seed: 3, candidates: [2] });
    const aligned = alignSegments(two, new Map([...before.assignments].map(([userId, segment]) => [userId, segment + 3])));
    expect(new Set(aligned.assignments.values())).toEqual(new Set([0, 1]));
    expect([...aligned.assignments]).toEqual([...two.assignments]);
    expect(alignSegments(before, new Map()).assignments).toEqual(before.assignments);
  });
});

describe('assignSegment', () => {
  const planted = plant(4, 50);
  const { model, assignments } = findSegments(planted.shoppers, { seed: 5 });

  it('puts every fitted shopper where findSegments did, also after a JSON round trip', () => {
    const restored = segmentModelFromJson(JSON.parse(JSON.stringify(segmentModelToJson(model))));
    expect(restored).toEqual(model);
    for (const activity of planted.shoppers) {
      expect(assignSegment(model, activity)).toBe(assignments.get(activity.userId));
      expect(assignSegment(restored, activity)).toBe(assignments.get(activity.userId));
    }
  });

  it('places new shoppers of a planted group with that group', () => {
    // The same seed draws the same group centres and first 150 shoppers; the next 90 are new.
    const fresh = plant(4, 80).shoppers.slice(150);
    const groupOf = new Map(Array.from({ length: model.k }, (_, segment) => [segment, majority(assignments, planted.labels, segment)]));
    const placed = fresh.filter((activity, i) => groupOf.get(assignSegment(model, activity)) === GROUPS[(150 + i) % GROUPS.length]);
    expect(placed.length / fresh.length).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses an interest of another dimension and ignores one when the model has none', () => {
    expectRecsysError(() => assignSegment(model, { ...planted.shoppers[0]!, interest: new Float32Array(3).fill(1) }), 'interest');
    const { shoppers } = plant(6, 20, false);
    const behaviourOnly = findSegments(shoppers, { candidates: [3] }).model;
    expect(assignSegment(behaviourOnly, { ...shoppers[0]!, interest: new Float32Array(3).fill(1) })).toBe(assignSegment(behaviourOnly, shoppers[0]!));
  });
});

describe('segmentLabels', () => {
  const difference = (feature: string, effect: number, segment = 0.5, others = 0.1) => ({ feature, effect, segment, others });
  const described = (segment: number, differences: ReturnType<typeof difference>[], summary = `summary ${segment}`) => ({ segment, differences, summary });

  it('phrases each kind of difference with both figures', () => {
    expect(differencePhrase(difference('log1p VIEW', 1.2, 6.72, 2.8))).toBe('more views (6.7 vs 2.8 per shopper)');
    expect(differencePhrase(difference('log1p sessions', -0.5, 1, 1.6))).toBe('fewer visits (1 vs 1.6 per shopper)');
    expect(differencePhrase(difference('purchasePerView', 0.9, 0.31, 0.02))).toBe('higher purchase rate (31% vs 2%)');
    expect(differencePhrase(difference('night share', 2, 0.8, 0.1))).toBe('more night-time (80% vs 10% of events)');
    expect(differencePhrase(difference('category 17 share', 3, 0.95, 0.09), (id) => (id === '17' ? 'Smartphones' : id))).toBe(
      'Smartphones (95% vs 9% of events)',
    );
    expect(differencePhrase(difference('category shoes share', -1, 0.02, 0.4))).toBe('less shoes (2% vs 40% of events)');
    expect(differencePhrase(difference('other categories share', 0.7, 0.6, 0.2))).toBe('more beyond the top categories (60% vs 20% of events)');
    expect(differencePhrase(difference('log1p spend', 1.1, 182.4, 31.25))).toBe('big spenders (182 vs 31 spent per shopper)');
    expect(differencePhrase(difference('log1p spend', -0.4, 2.04, 31))).toBe('small spenders (2 vs 31 spent per shopper)');
    expect(differencePhrase(difference('price level', 0.9, 1.8, 0.95))).toBe("buys premium-priced (1.80× vs 0.95× the category's median price)");
  });

  it('starts from the two largest differences and adds more only where two labels would match', () => {
    const labels = segmentLabels([
      described(0, [difference('log1p VIEW', 2, 9, 3), difference('night share', 1, 0.9, 0.2), difference('log1p CART', 0.5, 2, 1)]),
      described(1, [difference('log1p VIEW', 2, 9, 3), difference('night share', 1, 0.9, 0.2), difference('log1p SEARCH', 0.4, 5, 1)]),
      described(2, [difference('log1p PURCHASE', 1.5, 2, 0.1), difference('morning share', 0.8, 0.7, 0.2), difference('log1p VIEW', 0.3, 4, 3)]),
    ]);
    expect(labels).toEqual([
      'more views (9 vs 3 per shopper), more night-time (90% vs 20% of events), more carts (2 vs 1 per shopper)',
      'more views (9 vs 3 per shopper), more night-time (90% vs 20% of events), more searches (5 vs 1 per shopper)',
      'more purchases (2 vs 0.1 per shopper), more morning (70% vs 20% of events)',
    ]);
  });

  it('names a small difference only when a label needs it, and falls back to the summary, then the number', () => {
    expect(segmentLabels([described(0, [difference('log1p VIEW', 0.1, 3.1, 3), difference('night share', 0.05)])])).toEqual([
      'more views (3.1 vs 3 per shopper)',
    ]);
    expect(segmentLabels([described(0, []), described(1, [difference('log1p VIEW', 1, 5, 3)])])).toEqual(['summary 0', 'more views (5 vs 3 per shopper)']);
    expect(segmentLabels([described(3, [], 'same'), described(5, [], 'same')])).toEqual(['same (segment 3)', 'same (segment 5)']);
  });
});

describe('segmentSummary', () => {
  const base: Omit<SegmentDescription, 'label' | 'summary' | 'differences'> = {
    segment: 0,
    size: 10,
    share: 0.5,
    topCategories: [{ categoryId: 'toys', share: 0.4 }],
    topKeywords: [],
    activeHours: [],
    dayParts: { night: 0.25, morning: 0.25, afternoon: 0.25, evening: 0.25 },
    eventShares: { VIEW: 0.9, CLICK: 0, CART: 0.05, PURCHASE: 0.05, SEARCH: 0 },
    conversion: 0.2,
    eventsPerShopper: 4,
    relativeActivity: 1,
    purchasesPerShopper: 0.2,
    sessionsPerShopper: 1,
    categoriesPerShopper: 2.5,
  };

  it('builds the words from the figures', () => {
    expect(segmentSummary(base)).toBe('all-day browsers of 2.5 categories');
    expect(segmentSummary({ ...base, dayParts: { night: 0.4, morning: 0.05, afternoon: 0.15, evening: 0.4 } })).toBe('late-night browsers of 2.5 categories');
    expect(segmentSummary({ ...base, dayParts: { night: 0.1, morning: 0.7, afternoon: 0.2, evening: 0 }, relativeActivity: 1.5 })).toBe(
      'morning frequent browsers of 2.5 categories',
    );
    expect(segmentSummary({ ...base, conversion: 0.5, relativeActivity: 0.5, topCategories: [{ categoryId: 'toys', share: 0.5 }] })).toBe(
      'all-day occasional buyers of 2.5 categories, mostly toys',
    );
    expect(segmentSummary({ ...base, topCategories: [{ categoryId: '17', share: 0.8 }] }, (id) => (id === '17' ? 'Toys & Games' : id))).toBe(
      'all-day browsers of 2.5 categories, mostly Toys & Games',
    );
    expect(segmentSummary({ ...base, eventShares: { VIEW: 0.3, CLICK: 0.2, CART: 0, PURCHASE: 0, SEARCH: 0.5 }, categoriesPerShopper: 1 })).toBe(
      'all-day searchers of 1 category',
    );
  });

  it('leaves out what there is no data for', () => {
    const silent = { ...base, dayParts: { night: 0, morning: 0, afternoon: 0, evening: 0 }, categoriesPerShopper: 0, topCategories: [] };
    expect(segmentSummary(silent)).toBe('browsers');
    expect(segmentSummary({ ...silent, eventsPerShopper: 0, relativeActivity: 0, conversion: 0 })).toBe('inactive shoppers');
    expect(segmentSummary({ ...base, size: 0 })).toBe('empty segment');
  });
});

describe('bad input', () => {
  const { shoppers } = plant(7, 10);
  const first = shoppers[0]!;

  it('names the field of a bad shopper', () => {
    expectRecsysError(() => findSegments([]), 'shoppers');
    expectRecsysError(() => findSegments([first, { ...first }]), 'userId');
    expectRecsysError(() => findSegments([{ ...first, userId: '' }]), 'userId');
    expectRecsysError(() => findSegments([{ ...first, counts: { ...first.counts, VIEW: -1 } }]), 'counts');
    expectRecsysError(() => findSegments([{ ...first, counts: { ...first.counts, PURCHASE: Number.NaN } }]), 'counts');
    expectRecsysError(() => findSegments([{ ...first, hours: first.hours.slice(0, 23) }]), 'hours');
    expectRecsysError(() => findSegments([{ ...first, categories: { shoes: Number.POSITIVE_INFINITY } }]), 'categories');
    expectRecsysError(() => findSegments([{ ...first, sessions: -2 }]), 'sessions');
    expectRecsysError(() => findSegments([{ ...first, spend: -1 }]), 'spend');
    expectRecsysError(() => findSegments([{ ...first, priceLevel: Number.POSITIVE_INFINITY }]), 'priceLevel');
    expectRecsysError(() => findSegments([{ ...first, keywords: [{ term: 'x', weight: Number.NaN }] }]), 'keywords');
    expectRecsysError(() => findSegments([{ ...first, interest: Float32Array.from([1, Number.NaN]) }]), 'interest');
    expectRecsysError(() => findSegments([first, { ...shoppers[1]!, interest: new Float32Array(DIMENSION + 1).fill(0.1) }]), 'interest');
  });

  it('names the bad option', () => {
    expectRecsysError(() => findSegments(shoppers, { candidates: [1, 3] }), 'candidates');
    expectRecsysError(() => findSegments(shoppers, { candidates: [] }), 'candidates');
    expectRecsysError(() => findSegments(shoppers, { sampleSize: 2 }), 'sampleSize');
    expectRecsysError(() => findSegments(shoppers, { seed: Number.NaN }), 'seed');
    expectRecsysError(() => findSegments(shoppers, { topCategories: -1 }), 'topCategories');
    expectRecsysError(() => findSegments(shoppers, { interestWeight: -1 }), 'interestWeight');
    expectRecsysError(() => findSegments(shoppers, { stabilityResamples: -1 }), 'stabilityResamples');
    expectRecsysError(() => findSegments(shoppers, { minAgreement: 1.5 }), 'minAgreement');
    expectRecsysError(() => findSegments(shoppers, { behaviourWeight: Number.POSITIVE_INFINITY }), 'behaviourWeight');
  });

  it('refuses a stored model that does not fit together', () => {
    const json = segmentModelToJson(findSegments(shoppers, { candidates: [3] }).model);
    expectRecsysError(() => segmentModelFromJson(null), 'model');
    expectRecsysError(() => segmentModelFromJson({ ...json, version: 3 }), 'model');
    expect(() => segmentModelFromJson({ ...json, version: 1 })).toThrow(/version 1 was fitted before spend and price level were features: refit/);
    expectRecsysError(() => segmentModelFromJson({ ...json, dimension: json.dimension + 1 }), 'model');
    expectRecsysError(() => segmentModelFromJson({ ...json, centroids: json.centroids.slice(1) }), 'model');
    expectRecsysError(() => segmentModelFromJson({ ...json, centroids: [[1, 2], ...json.centroids.slice(1)] }), 'model');
    expectRecsysError(() => segmentModelFromJson({ ...json, featureScale: { ...json.featureScale, mean: [...json.featureScale.mean, 1] } }), 'model');
    expectRecsysError(() => segmentModelFromJson({ ...json, featureScale: { ...json.featureScale, interestMultiplier: null } }), 'model');
    expectRecsysError(() => segmentModelFromJson({ ...json, silhouettes: [{ k: 3, silhouette: 0.5, agreement: 'high' }] }), 'model');
  });

  it('reads a model stored before stability was measured', () => {
    const json = segmentModelToJson(findSegments(shoppers, { candidates: [3] }).model);
    expect(json.silhouettes[0]!.agreement).toBeGreaterThan(0);
    const older = { ...json, silhouettes: json.silhouettes.map(({ k, silhouette }) => ({ k, silhouette })) };
    expect(segmentModelFromJson(older).silhouettes).toEqual([{ k: 3, silhouette: json.silhouettes[0]!.silhouette }]);
  });
});

describe('priceLevels', () => {
  it("is each shopper's median log price ratio to the category median, over distinct priced products", () => {
    const prices = new Map([
      ['cheap-shoe', 20],
      ['mid-shoe', 40],
      ['dear-shoe', 160],
      ['sock', 2],
      ['dear-sock', 8],
      ['free', 0],
    ]);
    const levels = priceLevels(
      [
        { userId: 'a', productId: 'dear-shoe', categoryId: 'shoes' },
        { userId: 'a', productId: 'dear-shoe', categoryId: 'shoes' },
        { userId: 'a', productId: 'dear-sock', categoryId: 'socks' },
        { userId: 'b', productId: 'cheap-shoe', categoryId: 'shoes' },
        { userId: 'b', productId: 'mid-shoe', categoryId: 'shoes' },
        { userId: 'b', productId: 'sock', categoryId: 'socks' },
        { userId: 'c', productId: 'free', categoryId: 'shoes' },
        { userId: 'c', productId: 'unknown', categoryId: 'shoes' },
      ],
      prices,
    );
    // Shoes' median is 40, socks' 5: a dear sock is as "premium" as a dear shoe.
    expect(levels.get('a')).toBeCloseTo((Math.log(160 / 40) + Math.log(8 / 5)) / 2, 12);
    expect(levels.get('b')).toBeCloseTo(Math.log(20 / 40), 12);
    expect(levels.has('c')).toBe(false);
  });
});

describe('segmentContext', () => {
  it('copies the base features into the shopper segment block only', () => {
    expect(segmentContext([1, 0.5], 1, 3)).toEqual([1, 0.5, 0, 0, 1, 0.5, 0, 0]);
    expect(segmentContext([1, 0.5], null, 3)).toEqual([1, 0.5, 0, 0, 0, 0, 0, 0]);
    expect(segmentContext([1], 0)).toHaveLength(1 + MAX_CONTEXT_SEGMENTS);
  });

  it('refuses a segment outside the blocks, naming the field', () => {
    expect(() => segmentContext([1], 3, 3)).toThrow(expect.objectContaining({ field: 'segment' }));
    expect(() => segmentContext([1], 0, 0)).toThrow(expect.objectContaining({ field: 'segments' }));
  });

  it('lets LinUCB learn opposite tastes of two segments that a shared model averages away', () => {
    // Item a pays off for segment 0, item b for segment 1; their base features differ in one place.
    const base = { a: [1, 1, 0], b: [1, 0, 1] };
    const reward = (segment: number, item: 'a' | 'b') => (segment === 0 ? (item === 'a' ? 1 : 0) : item === 'b' ? 1 : 0);
    const learn = (context: (item: 'a' | 'b', segment: number) => number[], dimension: number) => {
      const state = createLinUcbState(dimension, 1);
      for (let round = 0; round < 200; round += 1) {
        const segment = round % 2;
        for (const item of ['a', 'b'] as const) updateLinUcb(state, context(item, segment), reward(segment, item));
      }
      const { theta } = solveLinUcb(state);
      return (segment: number, item: 'a' | 'b') => context(item, segment).reduce((sum, x, i) => sum + x * theta[i]!, 0);
    };
    const perSegment = learn((item, segment) => segmentContext(base[item], segment, 2), 3 * 3);
    expect(perSegment(0, 'a')).toBeGreaterThan(perSegment(0, 'b') + 0.5);
    expect(perSegment(1, 'b')).toBeGreaterThan(perSegment(1, 'a') + 0.5);
    // Without the segment blocks both items look alike to everyone.
    const shared = learn((item) => base[item], 3);
    expect(Math.abs(shared(0, 'a') - shared(0, 'b'))).toBeLessThan(0.05);
  });
});

describe('overIndexedProducts', () => {
  const sizes = new Map([
    [0, 100],
    [1, 300],
  ]);

  it('ranks by index among products enough members reached, with both shares', () => {
    const result = overIndexedProducts(
      [
        { segment: 0, productId: 'boots', shoppers: 40 },
        { segment: 1, productId: 'boots', shoppers: 12 },
        { segment: 0, productId: 'socks', shoppers: 10 },
        { segment: 1, productId: 'socks', shoppers: 30 },
        { segment: 0, productId: 'rare', shoppers: 2 },
        { segment: 1, productId: 'tv', shoppers: 90 },
      ],
      sizes,
    );
    expect(result.get(0)!.map((product) => product.productId)).toEqual(['boots', 'socks']);
    const boots = result.get(0)![0]!;
    expect(boots).toMatchObject({ shoppers: 40, share: 0.4, othersShare: 0.04 });
    expect(boots.index).toBeCloseTo((100 * (40.5 / 101)) / (12.5 / 301), 9);
    // Socks reach 10% of both segments: an index near 100.
    expect(result.get(0)![1]!.index).toBeGreaterThan(90);
    expect(result.get(0)![1]!.index).toBeLessThan(110);
    // "rare" has 2 members: below the 3 a product needs. "tv" nobody in segment 0 touched: the highest index there.
    expect(result.get(1)!.map((product) => product.productId)).toEqual(['tv', 'socks', 'boots']);
    expect(result.get(1)![0]!.index).toBeGreaterThan(5000);
  });

  it('keeps the top few, and a share of large segments as the floor', () => {
    const reach = Array.from({ length: 8 }, (_, i) => ({ segment: 0, productId: `p${i}`, shoppers: 3 + i }));
    expect(
      overIndexedProducts(reach, sizes, { top: 3 })
        .get(0)!
        .map((product) => product.productId),
    ).toEqual(['p7', 'p6', 'p5']);
    expect(
      overIndexedProducts(reach, sizes, { minShare: 0.09 })
        .get(0)!
        .map((product) => product.productId),
    ).toEqual(['p7', 'p6']);
    expect(overIndexedProducts([], sizes).get(1)).toEqual([]);
  });

  it('names a bad option', () => {
    expectRecsysError(() => overIndexedProducts([], sizes, { minShoppers: 0 }), 'minShoppers');
    expectRecsysError(() => overIndexedProducts([], sizes, { minShare: 2 }), 'minShare');
  });
});
