import { chooseK, kMeans, nearestCentroid, type ChooseKScore } from './clustering';
import { RecsysError } from './errors';
import { requireCount, requireFinite } from './validate';

export const SEGMENT_EVENT_TYPES = ['VIEW', 'CLICK', 'CART', 'PURCHASE', 'SEARCH'] as const;
export type SegmentEventType = (typeof SEGMENT_EVENT_TYPES)[number];

/** What one shopper did, summed over a window; the caller builds it from behaviour events. */
export interface ShopperActivity {
  userId: string;
  /** The shopper's interest direction (weighted mean of their interest centroids, unit length), or null without a profile/with another dimension. */
  interest: Float32Array | null;
  /** Events by type. */
  counts: Readonly<Record<SegmentEventType, number>>;
  /** Events by category id. */
  categories: Readonly<Record<string, number>>;
  /** Events by hour of day 0..23, in the shop's time zone (the caller's choice; UTC when it has none). */
  hours: readonly number[];
  sessions: number;
  /** Interest keywords with weights, for descriptions. */
  keywords: readonly { term: string; weight: number }[];
  /** Money spent on purchases in the window, in the shop's currency (0 without priced purchases). */
  spend: number;
  /**
   * How dear what the shopper engaged with is: `priceLevels`' median log ratio of a product's price
   * to its category's median price (0 = typical, ln 2 = twice as dear); null when none was priced.
   */
  priceLevel: number | null;
}

export type DayPart = 'night' | 'morning' | 'afternoon' | 'evening';

/** Hours [from, to) of each day part, in the time zone of `ShopperActivity.hours`. */
export const DAY_PARTS: readonly { name: DayPart; from: number; to: number }[] = [
  { name: 'night', from: 0, to: 6 },
  { name: 'morning', from: 6, to: 12 },
  { name: 'afternoon', from: 12, to: 18 },
  { name: 'evening', from: 18, to: 24 },
];

export interface SegmentDescription {
  /** The cluster index: what `assignments` and `assignSegment` give. */
  segment: number;
  size: number;
  /** size / all shoppers. */
  share: number;
  /** The segment's category events by category, top 3, as shares of all its category events. */
  topCategories: { categoryId: string; share: number }[];
  /** The members' keyword weights summed, top 5. */
  topKeywords: string[];
  /** The fewest hours that together hold at least half of the segment's events, ascending. */
  activeHours: number[];
  /** Share of the segment's events in each day part (all 0 without hour data). */
  dayParts: Record<DayPart, number>;
  /** Share of the segment's events of each type. */
  eventShares: Record<SegmentEventType, number>;
  /** Purchasers' share: members with at least one purchase / size. */
  conversion: number;
  eventsPerShopper: number;
  /** eventsPerShopper / the same over all shoppers (0 when nobody has events). */
  relativeActivity: number;
  purchasesPerShopper: number;
  sessionsPerShopper: number;
  /** Median number of categories a member has events in. */
  categoriesPerShopper: number;
  /**
   * How the members differ from every other shopper, per behaviour feature that varies, largest
   * effect first: what sets the segment apart, which its own figures cannot say.
   */
  differences: SegmentDifference[];
  /** Built from the segment's own figures, e.g. "night-time occasional buyers of 1 category, mostly shoes". */
  summary: string;
  /**
   * Built from its largest differences, e.g. "electronics.smartphone (95% vs 9%), fewer views (2.1 vs 3.6 per shopper)":
   * as many as it takes for no two segments of a fit to share a label (`segmentLabels`).
   */
  label: string;
}

/** One behaviour feature of a segment against everyone else. */
export interface SegmentDifference {
  /** The feature, as `behaviourFeatureNames` names it ("log1p VIEW", "log1p spend", "price level", "night share", "category 17 share", …). */
  feature: string;
  /**
   * The members' mean: events (or sessions, or money spent) per shopper for the log1p features,
   * the price ratio to the category median for the price level (over members with one), else the
   * share or rate itself.
   */
  segment: number;
  /** The same over every shopper outside the segment. */
  others: number;
  /**
   * (members' mean − others' mean) / the standard deviation over all shoppers, on the scale the
   * segments were found on (log1p counts, shares, rates): a standardised mean difference.
   */
  effect: number;
}

/**
 * Everything needed to turn a `ShopperActivity` into the vector the centroids live in, fixed when
 * the model was fitted so that a new shopper is placed on the same scale.
 */
export interface SegmentFeatureScale {
  /** The category block's columns, most events first; an "other" column follows them. */
  categories: string[];
  /** Per behaviour feature (layout: `behaviourFeatureNames`): the fitted population's mean… */
  mean: number[];
  /** …and standard deviation; 0 marks a constant feature, which contributes 0. */
  spread: number[];
  /** Per behaviour feature: √(block share) · behaviour weight / √(non-constant features in its block). */
  multiplier: number[];
  /** 0 when no fitted shopper had an interest: the vector then has no interest part. */
  interestDimension: number;
  /** Mean interest direction of the fitted shoppers that had one. */
  interestMean: number[];
  /** Interest weight / root-mean-square length of (interest − interestMean). */
  interestMultiplier: number;
}

export interface SegmentModel {
  k: number;
  /**
   * Mean silhouette of each candidate k that was scored, with its bootstrap agreement (adjusted Rand
   * index) when stability was measured (empty when k = 1 was forced by too few shoppers).
   */
  silhouettes: ChooseKScore[];
  /** Length of the feature vectors and centroids. */
  dimension: number;
  /** Unit vectors, one per segment. */
  centroids: Float32Array[];
  featureScale: SegmentFeatureScale;
}

export interface SegmentFeatureOptions {
  /** Most frequent categories given a column of their own. @default 8 */
  topCategories?: number;
  /** Root-mean-square length of the behaviour part. @default 1 */
  behaviourWeight?: number;
  /** Root-mean-square length of the interest part (over shoppers with an interest). @default 1 */
  interestWeight?: number;
}

export interface FindSegmentsOptions extends SegmentFeatureOptions {
  /** Numbers of segments to try, each ≥ 2. @default [2, 3, 4, 5, 6, 7, 8] */
  candidates?: number[];
  /** Seeds the silhouette sample and k-means; the same seed gives the same segments. @default 0 */
  seed?: number;
  /** Shoppers sampled to choose k (the fit itself uses all of them). @default 1000 */
  sampleSize?: number;
  /**
   * Bootstrap refits of the sample per candidate k, to keep only k whose segments come back when the
   * shoppers are resampled (`chooseK`'s `resamples`); 0 chooses by silhouette alone. @default 10
   */
  stabilityResamples?: number;
  /** Mean adjusted Rand index a k needs across those refits to be chosen. @default 0.8 */
  minAgreement?: number;
}

export interface SegmentsResult {
  model: SegmentModel;
  /** userId → segment. */
  assignments: Map<string, number>;
  /** One per segment, largest first (ties by segment index). */
  segments: SegmentDescription[];
}

/** The JSON form of a `SegmentModel`: the same fields, vectors as plain number arrays. */
export interface SegmentModelJson {
  /** 2 since the value block (spend, price level); a version 1 model has no such columns and cannot place shoppers. */
  version: 2;
  k: number;
  silhouettes: ChooseKScore[];
  dimension: number;
  centroids: number[][];
  featureScale: SegmentFeatureScale;
}

export const DEFAULT_SEGMENT_OPTIONS = {
  topCategories: 8,
  behaviourWeight: 1,
  interestWeight: 1,
  candidates: [2, 3, 4, 5, 6, 7, 8],
  seed: 0,
  sampleSize: 1000,
  stabilityResamples: 10,
  minAgreement: 0.8,
} as const;

/**
 * Standardised features beyond this many standard deviations are clipped: a rare event type (a
 * purchase among 3% of shoppers is ~5 σ) would otherwise set a shopper's direction on its own.
 */
const Z_LIMIT = 3;

type Block = 'activity' | 'conversion' | 'value' | 'time' | 'categories';
const ACTIVITY_FEATURES = [...SEGMENT_EVENT_TYPES, 'sessions'] as const;
const CONVERSION_FEATURES = ['cartPerView', 'purchasePerView'] as const;
/** Money spent (log1p, like the counts: spend is as skewed) and the price level. */
const VALUE_FEATURES = ['log1p spend', 'price level'] as const;
const SPEND = ACTIVITY_FEATURES.length + CONVERSION_FEATURES.length;
const PRICE_LEVEL = SPEND + 1;

/** Names of the behaviour features in vector order, for a scale's `categories`. */
export function behaviourFeatureNames(categories: readonly string[]): string[] {
  return [
    ...ACTIVITY_FEATURES.map((name) => `log1p ${name}`),
    ...CONVERSION_FEATURES,
    ...VALUE_FEATURES,
    ...DAY_PARTS.map((part) => `${part.name} share`),
    ...categories.map((category) => `category ${category} share`),
    'other categories share',
  ];
}

function blocksOf(categoryColumns: number): Block[] {
  return [
    ...ACTIVITY_FEATURES.map((): Block => 'activity'),
    ...CONVERSION_FEATURES.map((): Block => 'conversion'),
    ...VALUE_FEATURES.map((): Block => 'value'),
    ...DAY_PARTS.map((): Block => 'time'),
    ...Array.from({ length: categoryColumns + 1 }, (): Block => 'categories'),
  ];
}

const sumOf = (values: Iterable<number>): number => {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
};

/**
 * The behaviour features before standardisation, in `behaviourFeatureNames` order. A shopper
 * without a price level has NaN there: the scale is fitted over the priced shoppers, and an
 * unpriced one sits at their mean (contributes 0) rather than looking cheap.
 */
function rawBehaviour(activity: ShopperActivity, categories: readonly string[]): number[] {
  const { counts } = activity;
  const views = Math.max(1, counts.VIEW);
  const hourTotal = sumOf(activity.hours);
  const dayParts = DAY_PARTS.map((part) => (hourTotal > 0 ? sumOf(activity.hours.slice(part.from, part.to)) / hourTotal : 0));
  const categoryTotal = sumOf(Object.values(activity.categories));
  const shares = categories.map((category) => (categoryTotal > 0 ? (activity.categories[category] ?? 0) / categoryTotal : 0));
  const other = categoryTotal > 0 ? Math.max(0, 1 - sumOf(shares)) : 0;
  return [
    ...SEGMENT_EVENT_TYPES.map((type) => Math.log1p(counts[type])),
    Math.log1p(activity.sessions),
    Math.min(1, counts.CART / views),
    Math.min(1, counts.PURCHASE / views),
    Math.log1p(activity.spend),
    activity.priceLevel ?? Number.NaN,
    ...dayParts,
    ...shares,
    other,
  ];
}

/**
 * The vector a shopper is clustered by: behaviour features standardised with the fitted
 * population's mean and spread (clipped at ±3 σ) and weighed so that each block (activity,
 * conversion, value, time of day, categories) that varies at all has a mean squared length of
 * behaviourWeight² / (the number of such blocks), followed by the centred interest direction scaled to a
 * root-mean-square length of interestWeight. A shopper without an interest gets zeros there, the
 * same as one whose interest is the population's mean.
 */
export function segmentFeatures(activity: ShopperActivity, scale: SegmentFeatureScale): Float32Array {
  requireActivity(activity, 'activity');
  return featuresOf(activity, scale);
}

function featuresOf(activity: ShopperActivity, scale: SegmentFeatureScale): Float32Array {
  const raw = rawBehaviour(activity, scale.categories);
  const out = new Float32Array(raw.length + scale.interestDimension);
  raw.forEach((value, j) => {
    const spread = scale.spread[j]!;
    if (spread > 0 && Number.isFinite(value)) out[j] = Math.max(-Z_LIMIT, Math.min(Z_LIMIT, (value - scale.mean[j]!) / spread)) * scale.multiplier[j]!;
  });
  if (scale.interestDimension > 0 && activity.interest) {
    if (activity.interest.length !== scale.interestDimension) {
      throw new RecsysError(`interest has dimension ${activity.interest.length}, the model ${scale.interestDimension}`, 'interest');
    }
    for (let j = 0; j < scale.interestDimension; j++) out[raw.length + j] = (activity.interest[j]! - scale.interestMean[j]!) * scale.interestMultiplier;
  }
  return out;
}

/**
 * Groups shoppers into segments: features as `segmentFeatures` builds them, k chosen by the highest
 * mean silhouette among the k whose segments come back in bootstrap refits (`chooseK` with
 * `resamples`, cosine distance, on a seeded sample), then spherical k-means over all
 * shoppers. Because the features are centred, a shopper's direction is how they differ from the
 * average shopper, which is what cosine clustering then groups; how far they differ (an ordinary
 * versus an extreme night owl) does not split a segment. Each shopper's segment is the centroid
 * nearest to their vector, exactly as `assignSegment` places a new one.
 */
export function findSegments(shoppers: readonly ShopperActivity[], options: FindSegmentsOptions = {}): SegmentsResult {
  const o = { ...DEFAULT_SEGMENT_OPTIONS, ...options };
  if (shoppers.length === 0) throw new RecsysError('shoppers must not be empty', 'shoppers');
  requireCount(o.topCategories, 0, 'topCategories');
  requireCount(o.stabilityResamples, 0, 'stabilityResamples');
  requireWeight(o.behaviourWeight, 'behaviourWeight');
  requireWeight(o.interestWeight, 'interestWeight');
  requireFinite(o.seed, 'seed');
  const seen = new Set<string>();
  let interestDimension: number | undefined;
  for (const activity of shoppers) {
    requireActivity(activity, 'shoppers');
    if (seen.has(activity.userId)) throw new RecsysError(`userId ${activity.userId} appears twice`, 'userId');
    seen.add(activity.userId);
    if (!activity.interest) continue;
    interestDimension ??= activity.interest.length;
    if (activity.interest.length !== interestDimension) {
      throw new RecsysError(`interests differ in dimension (${activity.interest.length} vs ${interestDimension})`, 'interest');
    }
  }

  const featureScale = fitScale(shoppers, interestDimension ?? 0, o);
  const vectors = shoppers.map((activity) => featuresOf(activity, featureScale));
  const { k, scores } = chooseK(vectors, {
    candidates: o.candidates,
    sampleSize: o.sampleSize,
    seed: o.seed,
    resamples: o.stabilityResamples,
    minAgreement: o.minAgreement,
  });
  const { centroids } = kMeans(vectors, k, { seed: o.seed });
  const model: SegmentModel = { k, silhouettes: scores, dimension: vectors[0]!.length, centroids, featureScale };
  const segmentOf = vectors.map((vector) => nearestCentroid(vector, centroids).index);
  const assignments = new Map(shoppers.map((activity, i) => [activity.userId, segmentOf[i]!]));
  const members = Array.from({ length: k }, (): ShopperActivity[] => []);
  shoppers.forEach((activity, i) => members[segmentOf[i]!]!.push(activity));
  const eventsPerShopper = sumOf(shoppers.map((activity) => sumOf(SEGMENT_EVENT_TYPES.map((type) => activity.counts[type])))) / shoppers.length;
  const differences = segmentDifferences(shoppers, segmentOf, k, featureScale);
  const described = members.map((group, segment) => describeSegment(segment, group, shoppers.length, eventsPerShopper, differences[segment]!));
  const labels = segmentLabels(described);
  const segments = described.map((segment, i) => ({ ...segment, label: labels[i]! })).sort((a, b) => b.size - a.size || a.segment - b.segment);
  return { model, assignments, segments };
}

/**
 * Per segment, every behaviour feature that varies, members against everyone else, largest
 * |effect| first. Empty for a single segment: there is nobody else to differ from.
 */
function segmentDifferences(shoppers: readonly ShopperActivity[], segmentOf: readonly number[], k: number, scale: SegmentFeatureScale): SegmentDifference[][] {
  const names = behaviourFeatureNames(scale.categories);
  const activity = ACTIVITY_FEATURES.length;
  const width = names.length;
  // Per feature, how many shoppers had a value: only the price level can be missing.
  const sums = Array.from({ length: k }, () => ({ raw: new Float64Array(width), shown: new Float64Array(width), n: new Float64Array(width) }));
  const total = { raw: new Float64Array(width), shown: new Float64Array(width), n: new Float64Array(width) };
  shoppers.forEach((shopper, i) => {
    const raw = rawBehaviour(shopper, scale.categories);
    const sum = sums[segmentOf[i]!]!;
    raw.forEach((value, j) => {
      if (!Number.isFinite(value)) return;
      // Counts and spend are clustered as log1p but read as amounts; the price level as a price ratio.
      const shown =
        j < activity
          ? j < SEGMENT_EVENT_TYPES.length
            ? shopper.counts[SEGMENT_EVENT_TYPES[j]!]
            : shopper.sessions
          : j === SPEND
            ? shopper.spend
            : j === PRICE_LEVEL
              ? Math.exp(value)
              : value;
      sum.raw[j] = sum.raw[j]! + value;
      sum.shown[j] = sum.shown[j]! + shown;
      sum.n[j] = sum.n[j]! + 1;
      total.raw[j] = total.raw[j]! + value;
      total.shown[j] = total.shown[j]! + shown;
      total.n[j] = total.n[j]! + 1;
    });
  });
  return sums.map((sum) => {
    const differences: (SegmentDifference & { order: number })[] = [];
    for (let j = 0; j < width; j++) {
      const spread = scale.spread[j]!;
      const rest = total.n[j]! - sum.n[j]!;
      if (!(spread > 0) || sum.n[j] === 0 || rest === 0) continue;
      const effect = (sum.raw[j]! / sum.n[j]! - (total.raw[j]! - sum.raw[j]!) / rest) / spread;
      differences.push({ feature: names[j]!, segment: sum.shown[j]! / sum.n[j]!, others: (total.shown[j]! - sum.shown[j]!) / rest, effect, order: j });
    }
    // Effects equal but for rounding (the order shoppers were summed in) keep the features' order.
    const gap = (a: SegmentDifference, b: SegmentDifference) => Math.abs(b.effect) - Math.abs(a.effect);
    return differences.sort((a, b) => (Math.abs(gap(a, b)) > 1e-9 ? gap(a, b) : a.order - b.order)).map(({ order, ...difference }) => difference);
  });
}

/**
 * Renumbers a fresh fit so that segments keep their numbers across refits. k-means numbers its
 * clusters in seeding order, which any change among the shoppers can permute, yet a number is what
 * LinUCB's per-segment weights and an experiment's target segment refer to. Each new segment takes
 * the previous number most of its members had, largest overlaps first (ties: lower numbers first);
 * a segment left without one takes the smallest free number, so numbers stay 0…k−1. Previous
 * numbers of k or more (the fit has fewer segments now) match nothing.
 */
export function alignSegments(result: SegmentsResult, previous: ReadonlyMap<string, number>): SegmentsResult {
  const { k } = result.model;
  const overlap = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const [userId, segment] of result.assignments) {
    const before = previous.get(userId);
    if (before !== undefined && Number.isInteger(before) && before >= 0 && before < k) overlap[segment]![before]! += 1;
  }
  const pairs = overlap
    .flatMap((row, from) => row.map((count, to) => ({ from, to, count })))
    .filter((pair) => pair.count > 0)
    .sort((a, b) => b.count - a.count || a.from - b.from || a.to - b.to);
  const number = new Array<number>(k).fill(-1);
  const taken = new Set<number>();
  for (const { from, to } of pairs) {
    if (number[from] !== -1 || taken.has(to)) continue;
    number[from] = to;
    taken.add(to);
  }
  let free = 0;
  for (let from = 0; from < k; from += 1) {
    if (number[from] !== -1) continue;
    while (taken.has(free)) free += 1;
    number[from] = free;
    taken.add(free);
  }
  const centroids = new Array<Float32Array>(k);
  result.model.centroids.forEach((centroid, from) => (centroids[number[from]!] = centroid));
  return {
    model: { ...result.model, centroids },
    assignments: new Map([...result.assignments].map(([userId, segment]) => [userId, number[segment]!])),
    segments: result.segments.map((segment) => ({ ...segment, segment: number[segment.segment]! })).sort((a, b) => b.size - a.size || a.segment - b.segment),
  };
}

/** The segment of a shopper who was not in the fit: the nearest centroid (cosine) to their features. */
export function assignSegment(model: SegmentModel, activity: ShopperActivity): number {
  return nearestCentroid(segmentFeatures(activity, model.featureScale), model.centroids).index;
}

function fitScale(shoppers: readonly ShopperActivity[], interestDimension: number, o: Required<SegmentFeatureOptions>): SegmentFeatureScale {
  const categoryEvents = new Map<string, number>();
  for (const activity of shoppers) {
    for (const [category, count] of Object.entries(activity.categories)) categoryEvents.set(category, (categoryEvents.get(category) ?? 0) + count);
  }
  const categories = [...categoryEvents]
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, o.topCategories)
    .map(([category]) => category);

  const rows = shoppers.map((activity) => rawBehaviour(activity, categories));
  const width = rows[0]!.length;
  // Over the shoppers with a value (all of them but for the price level); none leaves a constant 0.
  const columns = Array.from({ length: width }, (_, j) => rows.map((row) => row[j]!).filter(Number.isFinite));
  const mean = columns.map((column) => (column.length > 0 ? sumOf(column) / column.length : 0));
  const spread = mean.map((m, j) => {
    const column = columns[j]!;
    const deviation = column.length > 0 ? Math.sqrt(sumOf(column.map((value) => (value - m) ** 2)) / column.length) : 0;
    // Float noise around a constant is not spread.
    return deviation > 1e-9 * Math.max(1, Math.abs(m)) ? deviation : 0;
  });
  const blocks = blocksOf(categories.length);
  const varying = new Map<Block, number>();
  blocks.forEach((block, j) => {
    if (spread[j]! > 0) varying.set(block, (varying.get(block) ?? 0) + 1);
  });
  const multiplier = blocks.map((block, j) => (spread[j]! > 0 ? o.behaviourWeight / Math.sqrt(varying.size * varying.get(block)!) : 0));

  const interests = shoppers.flatMap((activity) => (activity.interest ? [activity.interest] : []));
  const interestMean = new Array<number>(interestDimension).fill(0);
  for (const interest of interests) for (let j = 0; j < interestDimension; j++) interestMean[j] = interestMean[j]! + interest[j]! / interests.length;
  let squares = 0;
  for (const interest of interests) for (let j = 0; j < interestDimension; j++) squares += (interest[j]! - interestMean[j]!) ** 2;
  const rms = interests.length > 0 ? Math.sqrt(squares / interests.length) : 0;
  return { categories, mean, spread, multiplier, interestDimension, interestMean, interestMultiplier: rms > 0 ? o.interestWeight / rms : 0 };
}

function describeSegment(
  segment: number,
  members: readonly ShopperActivity[],
  population: number,
  populationEventsPerShopper: number,
  differences: SegmentDifference[],
): SegmentDescription {
  const size = members.length;
  const perShopper = (value: number) => (size > 0 ? value / size : 0);
  const byType = Object.fromEntries(SEGMENT_EVENT_TYPES.map((type) => [type, sumOf(members.map((member) => member.counts[type]))])) as Record<
    SegmentEventType,
    number
  >;
  const events = sumOf(Object.values(byType));
  const hours = Array.from({ length: 24 }, (_, hour) => sumOf(members.map((member) => member.hours[hour]!)));
  const hourTotal = sumOf(hours);
  const categories = new Map<string, number>();
  const keywords = new Map<string, number>();
  for (const member of members) {
    for (const [category, count] of Object.entries(member.categories)) if (count > 0) categories.set(category, (categories.get(category) ?? 0) + count);
    for (const { term, weight } of member.keywords) keywords.set(term, (keywords.get(term) ?? 0) + weight);
  }
  const categoryTotal = sumOf(categories.values());
  const description: Omit<SegmentDescription, 'summary' | 'label' | 'differences'> = {
    segment,
    size,
    share: size / population,
    topCategories: ranked(categories, 3).map(([categoryId, count]) => ({ categoryId, share: count / categoryTotal })),
    topKeywords: ranked(keywords, 5).map(([term]) => term),
    activeHours: activeHours(hours),
    dayParts: Object.fromEntries(DAY_PARTS.map((part) => [part.name, hourTotal > 0 ? sumOf(hours.slice(part.from, part.to)) / hourTotal : 0])) as Record<
      DayPart,
      number
    >,
    eventShares: Object.fromEntries(SEGMENT_EVENT_TYPES.map((type) => [type, events > 0 ? byType[type] / events : 0])) as Record<SegmentEventType, number>,
    conversion: perShopper(members.filter((member) => member.counts.PURCHASE > 0).length),
    eventsPerShopper: perShopper(events),
    relativeActivity: populationEventsPerShopper > 0 ? perShopper(events) / populationEventsPerShopper : 0,
    purchasesPerShopper: perShopper(byType.PURCHASE),
    sessionsPerShopper: perShopper(sumOf(members.map((member) => member.sessions))),
    categoriesPerShopper: median(members.map((member) => Object.values(member.categories).filter((count) => count > 0).length)),
  };
  const summary = segmentSummary(description);
  return { ...description, differences, summary, label: summary };
}

/** Largest first, ties by key, so equal data gives equal descriptions. */
function ranked(weights: ReadonlyMap<string, number>, count: number): [string, number][] {
  return [...weights]
    .filter(([, weight]) => weight > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, count);
}

function activeHours(hours: readonly number[]): number[] {
  const total = sumOf(hours);
  if (total <= 0) return [];
  const order = hours.map((count, hour) => ({ count, hour })).sort((a, b) => b.count - a.count || a.hour - b.hour);
  const chosen: number[] = [];
  let held = 0;
  for (const { count, hour } of order) {
    chosen.push(hour);
    held += count;
    if (held >= total / 2) break;
  }
  return chosen.sort((a, b) => a - b);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const DAY_PART_WORDS: Record<DayPart, string> = { night: 'night-time', morning: 'morning', afternoon: 'afternoon', evening: 'evening' };
/** Adjacent day parts, in DAY_PARTS order (the last pair wraps around midnight). */
const DAY_PAIR_WORDS = ['early', 'daytime', 'late-day', 'late-night'] as const;
/** A day part, or a pair of adjacent ones, names a segment's time when it holds this share of the events. */
const TIME_SHARE = 2 / 3;

/** Relative activity at or above which a segment is "frequent", and at or below which "occasional". */
const FREQUENT = 1.5;
const OCCASIONAL = 2 / 3;

/**
 * "<when> [frequent|occasional] <role> of <n> categories[, mostly <category>]". When: the day part
 * holding at least two thirds of the events, else the adjacent pair holding the most if that
 * reaches two thirds (early, daytime, late-day, late-night), else all-day. Frequent: at least 1.5
 * times the events per shopper of all shoppers; occasional: at most two thirds of it. Role:
 * searchers when searches are at least as many as views and clicks, buyers when at least half the
 * members purchased, browsers otherwise. n: the median categories per shopper. "Mostly" names a
 * category holding at least half the segment's category events, by `categoryName` (the id itself
 * unless the caller knows names).
 */
export function segmentSummary(
  description: Omit<SegmentDescription, 'summary' | 'label' | 'differences'>,
  categoryName: (categoryId: string) => string = (id) => id,
): string {
  if (description.size === 0) return 'empty segment';
  const { dayParts, eventShares } = description;
  const shares = DAY_PARTS.map((part) => dayParts[part.name]);
  const single = shares.findIndex((share) => share >= TIME_SHARE);
  const pairs = shares.map((share, i) => share + shares[(i + 1) % shares.length]!);
  const pair = pairs.indexOf(Math.max(...pairs));
  const when =
    sumOf(shares) === 0 ? '' : single >= 0 ? DAY_PART_WORDS[DAY_PARTS[single]!.name] : pairs[pair]! >= TIME_SHARE ? DAY_PAIR_WORDS[pair]! : 'all-day';
  const role =
    eventShares.SEARCH > 0 && eventShares.SEARCH >= eventShares.VIEW + eventShares.CLICK
      ? 'searchers'
      : description.conversion >= 0.5
        ? 'buyers'
        : description.eventsPerShopper > 0
          ? 'browsers'
          : 'inactive shoppers';
  const intensity =
    description.eventsPerShopper === 0
      ? ''
      : description.relativeActivity >= FREQUENT
        ? 'frequent '
        : description.relativeActivity <= OCCASIONAL
          ? 'occasional '
          : '';
  const n = description.categoriesPerShopper;
  const breadth = n > 0 ? ` of ${Number(n.toFixed(1))} ${n === 1 ? 'category' : 'categories'}` : '';
  const [top] = description.topCategories;
  const mostly = top && top.share >= 0.5 ? `, mostly ${categoryName(top.categoryId)}` : '';
  return `${when ? `${when} ` : ''}${intensity}${role}${breadth}${mostly}`;
}

/** A product a segment's members reach far more often than other shoppers do. */
export interface OverIndexedProduct {
  productId: string;
  /** Members with an event on it. */
  shoppers: number;
  /** shoppers / the segment's size. */
  share: number;
  /** The same share among every other segmented shopper. */
  othersShare: number;
  /**
   * 100 × share / othersShare, both smoothed by one shopper in two (so a product nobody else
   * touched has a finite index): 100 is no different from everyone else, 300 three times as often.
   */
  index: number;
}

export interface OverIndexOptions {
  /** Products per segment. @default 5 */
  top?: number;
  /** Fewest members a product needs, so a couple of shoppers cannot make an index. @default 3 */
  minShoppers?: number;
  /** Fewest members as a share of the segment, for large segments. @default 0.01 */
  minShare?: number;
}

/**
 * 100 × (members reaching something / size) / (other shoppers reaching it / the rest), both
 * smoothed by half a shopper over one more shopper, so that nobody else reaching it gives a large
 * but finite index: 100 is no different from everyone else.
 */
export function overIndex(members: number, size: number, others: number, rest: number): number {
  return (100 * ((members + 0.5) / (size + 1))) / ((others + 0.5) / (rest + 1));
}

/**
 * Per segment, the products its members reach most out of proportion to other shoppers: among
 * those reached by at least max(minShoppers, minShare × size) members, the highest index first
 * (ties: more members, then the id as text). `reach` holds, per segment and product, how many of
 * its members had an event on the product; `sizes` each segment's members.
 */
export function overIndexedProducts(
  reach: readonly { segment: number; productId: string; shoppers: number }[],
  sizes: ReadonlyMap<number, number>,
  options: OverIndexOptions = {},
): Map<number, OverIndexedProduct[]> {
  const { top = 5, minShoppers = 3, minShare = 0.01 } = options;
  requireCount(top, 0, 'top');
  requireCount(minShoppers, 1, 'minShoppers');
  if (!(minShare >= 0 && minShare <= 1)) throw new RecsysError(`minShare must be in [0, 1], got ${minShare}`, 'minShare');
  const population = sumOf(sizes.values());
  const byProduct = new Map<string, number>();
  for (const row of reach) byProduct.set(row.productId, (byProduct.get(row.productId) ?? 0) + row.shoppers);
  const result = new Map<number, OverIndexedProduct[]>([...sizes.keys()].map((segment) => [segment, []]));
  for (const row of reach) {
    const size = sizes.get(row.segment);
    if (size === undefined || row.shoppers < Math.max(minShoppers, minShare * size)) continue;
    const rest = population - size;
    const others = byProduct.get(row.productId)! - row.shoppers;
    result.get(row.segment)!.push({
      productId: row.productId,
      shoppers: row.shoppers,
      share: row.shoppers / size,
      othersShare: rest > 0 ? others / rest : 0,
      index: overIndex(row.shoppers, size, others, rest),
    });
  }
  for (const [segment, products] of result) {
    products.sort((a, b) => b.index - a.index || b.shoppers - a.shoppers || (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
    result.set(segment, products.slice(0, top));
  }
  return result;
}

/** One product a shopper engaged with, for `priceLevels`. */
export interface PricedEngagement {
  userId: string;
  productId: string;
  /** Null groups the product with the others that have none. */
  categoryId: string | null;
}

/**
 * Each shopper's price level: the median, over the distinct products they engaged with that have
 * a price above 0, of ln(price / the median price of their category's products among all those
 * engaged with). Relative to the category, so a shopper of phones is not "premium" against one
 * of socks; logarithmic, so twice and half as dear are equally far from typical. Shoppers with no
 * priced product are left out.
 */
export function priceLevels(engagements: readonly PricedEngagement[], prices: ReadonlyMap<string, number>): Map<string, number> {
  const priced = (productId: string) => {
    const price = prices.get(productId);
    return price !== undefined && Number.isFinite(price) && price > 0 ? price : null;
  };
  const categoryProducts = new Map<string, Set<string>>();
  const shopperProducts = new Map<string, Map<string, string>>();
  for (const { userId, productId, categoryId } of engagements) {
    if (priced(productId) === null) continue;
    const category = categoryId ?? '';
    let products = categoryProducts.get(category);
    if (!products) categoryProducts.set(category, (products = new Set<string>()));
    products.add(productId);
    let own = shopperProducts.get(userId);
    if (!own) shopperProducts.set(userId, (own = new Map<string, string>()));
    own.set(productId, category);
  }
  const categoryMedian = new Map([...categoryProducts].map(([category, products]) => [category, median([...products].map((id) => priced(id)!))]));
  return new Map(
    [...shopperProducts].map(([userId, own]) => [
      userId,
      median([...own].map(([productId, category]) => Math.log(priced(productId)! / categoryMedian.get(category)!))),
    ]),
  );
}

/** Differences this small (in standard deviations) are not named while a label is unique without them. */
const NOTABLE_EFFECT = 0.2;
/** Differences a label starts from. */
const LABEL_DIFFERENCES = 2;

const EVENT_WORDS: Record<SegmentEventType, string> = { VIEW: 'views', CLICK: 'clicks', CART: 'carts', PURCHASE: 'purchases', SEARCH: 'searches' };
const pct = (value: number) => `${Math.round(100 * value)}%`;
const per = (value: number) => Number(value.toFixed(value < 10 ? 1 : 0)).toString();
const times = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)}×`;

/** The category id a category-share feature names ("category 17 share" → "17"), or null for any other feature. */
export function differenceCategoryId(feature: string): string | null {
  return /^category (.+) share$/.exec(feature)?.[1] ?? null;
}

/**
 * One difference in words with both figures, e.g. "more views (6.7 vs 2.8 per shopper)",
 * "big spenders (120 vs 35 spent per shopper)", "buys premium-priced (1.80× vs 0.95× the
 * category's median price)" or "electronics.smartphone (95% vs 9%)".
 */
export function differencePhrase(difference: SegmentDifference, categoryName: (categoryId: string) => string = (id) => id): string {
  const up = difference.effect > 0;
  const { feature } = difference;
  const figures = (format: (value: number) => string, unit = '') => `(${format(difference.segment)} vs ${format(difference.others)}${unit})`;
  if (feature === 'log1p spend') return `${up ? 'big' : 'small'} spenders ${figures(per, ' spent per shopper')}`;
  if (feature === 'price level') return `buys ${up ? 'premium' : 'low'}-priced ${figures(times, " the category's median price")}`;
  const count = /^log1p (\w+)$/.exec(feature)?.[1];
  if (count) {
    const noun = count === 'sessions' ? 'visits' : EVENT_WORDS[count as SegmentEventType];
    return `${up ? 'more' : 'fewer'} ${noun} ${figures(per, ' per shopper')}`;
  }
  if (feature === 'cartPerView') return `${up ? 'higher' : 'lower'} cart rate ${figures(pct)}`;
  if (feature === 'purchasePerView') return `${up ? 'higher' : 'lower'} purchase rate ${figures(pct)}`;
  const part = DAY_PARTS.find((candidate) => feature === `${candidate.name} share`);
  if (part) return `${up ? 'more' : 'less'} ${DAY_PART_WORDS[part.name]} ${figures(pct, ' of events')}`;
  if (feature === 'other categories share') return `${up ? 'more' : 'less'} beyond the top categories ${figures(pct, ' of events')}`;
  const category = differenceCategoryId(feature);
  if (category !== null) return `${up ? '' : 'less '}${categoryName(category)} ${figures(pct, ' of events')}`;
  return `${up ? 'more' : 'less'} ${feature} ${figures(per)}`;
}

/**
 * A label per segment from what sets it apart: its two largest differences (`differences`), then
 * one more at a time for every segment whose label another segment shares, until none is shared;
 * a segment that runs out of differences keeps its summary and, if that is shared too, its
 * number. Differences under 0.2 standard deviations are named only when needed to tell segments
 * apart. A segment with no differences (a single segment) is labelled by its summary.
 */
export function segmentLabels(
  descriptions: readonly Pick<SegmentDescription, 'segment' | 'differences' | 'summary'>[],
  categoryName: (categoryId: string) => string = (id) => id,
): string[] {
  const phrases = descriptions.map((description) => description.differences.map((difference) => differencePhrase(difference, categoryName)));
  const counts = descriptions.map(({ differences }) => {
    const notable = differences.filter((difference) => Math.abs(difference.effect) >= NOTABLE_EFFECT).length;
    return Math.min(differences.length, Math.max(1, Math.min(LABEL_DIFFERENCES, notable)));
  });
  const labelOf = (i: number) => (counts[i]! === 0 ? descriptions[i]!.summary : phrases[i]!.slice(0, counts[i]).join(', '));
  for (;;) {
    const labels = descriptions.map((_, i) => labelOf(i));
    const shared = labels.map((label, i) => labels.indexOf(label) !== i || labels.lastIndexOf(label) !== i);
    const growable = shared.map((isShared, i) => isShared && counts[i]! < phrases[i]!.length);
    if (!growable.some(Boolean)) {
      return labels.map((label, i) => (shared[i] ? `${label} (segment ${descriptions[i]!.segment})` : label));
    }
    growable.forEach((grow, i) => {
      if (grow) counts[i] = counts[i]! + 1;
    });
  }
}

export function segmentModelToJson(model: SegmentModel): SegmentModelJson {
  const { featureScale: scale } = model;
  return {
    version: 2,
    k: model.k,
    silhouettes: model.silhouettes.map(({ k, silhouette, agreement }) => ({ k, silhouette, ...(agreement !== undefined && { agreement }) })),
    dimension: model.dimension,
    centroids: model.centroids.map((centroid) => Array.from(centroid)),
    featureScale: {
      categories: [...scale.categories],
      mean: [...scale.mean],
      spread: [...scale.spread],
      multiplier: [...scale.multiplier],
      interestDimension: scale.interestDimension,
      interestMean: [...scale.interestMean],
      interestMultiplier: scale.interestMultiplier,
    },
  };
}

/** Reads what `segmentModelToJson` wrote (after a JSON round trip), checking every field. */
export function segmentModelFromJson(json: unknown): SegmentModel {
  const bad = (what: string): never => {
    throw new RecsysError(`segment model: ${what}`, 'model');
  };
  const record = (value: unknown, what: string): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : bad(`${what} must be an object`);
  const numbers = (value: unknown, what: string, length?: number): number[] => {
    if (!Array.isArray(value) || !value.every((x): x is number => typeof x === 'number' && Number.isFinite(x)))
      return bad(`${what} must be an array of finite numbers`);
    if (length !== undefined && value.length !== length) return bad(`${what} must have ${length} entries, has ${value.length}`);
    return value;
  };
  const count = (value: unknown, what: string, min: number): number =>
    typeof value === 'number' && Number.isInteger(value) && value >= min ? value : bad(`${what} must be an integer >= ${min}`);

  const root = record(json, 'the model');
  if (root.version === 1) bad('version 1 was fitted before spend and price level were features: refit to replace it');
  if (root.version !== 2) bad(`unknown version ${JSON.stringify(root.version)}`);
  const k = count(root.k, 'k', 1);
  const dimension = count(root.dimension, 'dimension', 1);
  const scale = record(root.featureScale, 'featureScale');
  const categories =
    Array.isArray(scale.categories) && scale.categories.every((x): x is string => typeof x === 'string')
      ? scale.categories
      : bad('featureScale.categories must be strings');
  const width = behaviourFeatureNames(categories).length;
  const interestDimension = count(scale.interestDimension, 'featureScale.interestDimension', 0);
  if (width + interestDimension !== dimension) bad(`dimension ${dimension} does not match the feature scale (${width} + ${interestDimension})`);
  const interestMultiplier = numbers([scale.interestMultiplier], 'featureScale.interestMultiplier')[0]!;
  if (!Array.isArray(root.centroids) || root.centroids.length !== k) bad(`centroids must be ${k} arrays`);
  const silhouettes = Array.isArray(root.silhouettes) ? root.silhouettes : bad('silhouettes must be an array');
  return {
    k,
    silhouettes: silhouettes.map((entry, i) => {
      const score = record(entry, `silhouettes[${i}]`);
      const k = count(score.k, `silhouettes[${i}].k`, 2);
      const silhouette = numbers([score.silhouette], `silhouettes[${i}].silhouette`)[0]!;
      // Models saved before stability was measured have no agreement.
      return score.agreement === undefined ? { k, silhouette } : { k, silhouette, agreement: numbers([score.agreement], `silhouettes[${i}].agreement`)[0]! };
    }),
    dimension,
    centroids: (root.centroids as unknown[]).map((centroid, i) => Float32Array.from(numbers(centroid, `centroids[${i}]`, dimension))),
    featureScale: {
      categories: [...categories],
      mean: numbers(scale.mean, 'featureScale.mean', width),
      spread: numbers(scale.spread, 'featureScale.spread', width),
      multiplier: numbers(scale.multiplier, 'featureScale.multiplier', width),
      interestDimension,
      interestMean: numbers(scale.interestMean, 'featureScale.interestMean', interestDimension),
      interestMultiplier,
    },
  };
}

function requireWeight(value: number, field: string): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RecsysError(`${field} must be a finite number >= 0, got ${value}`, field);
}

const nonNegative = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Field names are the activity's own (`counts`, `hours`, …) so the caller sees which part is wrong. */
function requireActivity(activity: ShopperActivity, field: string): void {
  if (typeof activity !== 'object' || activity === null) throw new RecsysError('activity must be an object', field);
  if (typeof activity.userId !== 'string' || activity.userId === '') throw new RecsysError('userId must be a non-empty string', 'userId');
  const who = `shopper ${activity.userId}`;
  for (const type of SEGMENT_EVENT_TYPES) {
    if (!nonNegative(activity.counts?.[type])) throw new RecsysError(`${who}: counts.${type} must be a finite number >= 0`, 'counts');
  }
  if (!Array.isArray(activity.hours) || activity.hours.length !== 24 || !activity.hours.every(nonNegative)) {
    throw new RecsysError(`${who}: hours must be 24 finite numbers >= 0`, 'hours');
  }
  if (typeof activity.categories !== 'object' || activity.categories === null || !Object.values(activity.categories).every(nonNegative)) {
    throw new RecsysError(`${who}: categories must map ids to finite numbers >= 0`, 'categories');
  }
  if (!nonNegative(activity.sessions)) throw new RecsysError(`${who}: sessions must be a finite number >= 0`, 'sessions');
  if (!nonNegative(activity.spend)) throw new RecsysError(`${who}: spend must be a finite number >= 0`, 'spend');
  if (activity.priceLevel !== null && !Number.isFinite(activity.priceLevel)) {
    throw new RecsysError(`${who}: priceLevel must be null or a finite number`, 'priceLevel');
  }
  if (
    !Array.isArray(activity.keywords) ||
    !activity.keywords.every((keyword: { term?: unknown; weight?: unknown } | null) => typeof keyword?.term === 'string' && Number.isFinite(keyword.weight))
  ) {
    throw new RecsysError(`${who}: keywords must be terms with finite weights`, 'keywords');
  }
  if (activity.interest !== null) {
    if (!(activity.interest instanceof Float32Array) || activity.interest.length === 0 || !activity.interest.every(Number.isFinite)) {
      throw new RecsysError(`${who}: interest must be null or a non-empty Float32Array of finite numbers`, 'interest');
    }
  }
}

/** Segments a context vector has room for: the largest k `findSegments` tries by default. */
export const MAX_CONTEXT_SEGMENTS = 8;

/**
 * Contextual-bandit features that let a linear policy (LinUCB) learn per segment: the base item
 * features, then one block per segment slot holding a copy of them in the shopper's segment's
 * slot and zeros elsewhere. θ's first block is what all shoppers share, each further block how
 * one segment departs from it; a segment indicator alone would add the same amount to every item
 * of a slate and change no ranking. A shopper without a segment (no consent, not yet fitted) gets
 * zeros in every block and is served by the shared weights.
 */
export function segmentContext(base: readonly number[], segment: number | null, segments = MAX_CONTEXT_SEGMENTS): number[] {
  if (!Number.isInteger(segments) || segments < 1) throw new RecsysError(`segments must be an integer >= 1, got ${segments}`, 'segments');
  if (segment !== null && (!Number.isInteger(segment) || segment < 0 || segment >= segments)) {
    throw new RecsysError(`segment must be an integer in [0, ${segments}), got ${segment}`, 'segment');
  }
  const features = [...base];
  for (let slot = 0; slot < segments; slot += 1) features.push(...(slot === segment ? base : base.map(() => 0)));
  return features;
}
