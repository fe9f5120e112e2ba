import { isRowId } from '@serendip/db';
import { AppError, badInput, canonicalUserId, decodeCursor, encodeCursor, ErrorCode } from '@serendip/federation';
import { secureRng, type ReleaseCost, type Rng } from '@serendip/privacy';
import type { DataSource } from 'typeorm';
import { EventType } from '../event/event-type';
import { type ActivityPatterns, type ActivityTypeCount, WEEKDAYS } from './activity.type';
import { FUNNEL_STEPS, type FunnelCounts } from '../event/event-aggregates';
import { EventStore } from '../event/event.store';
import type { CategoryAffinityConnection } from './category-affinity.type';
import type { BehaviourFunnel, ProductFunnelConnection } from './funnel.type';
import { DURATION_BUCKETS, eventCountBuckets, GAP_BUCKETS, histogramMean, histogramMedian } from './histogram';
import type { Period } from './period';
import { checkRequest, noiseCounts, sensitivityOf, type GroupBounds, type PrivacyRequest } from './private-release';
import type { PlatformBudgetState, PrivacyBudgetState, PrivacyBudgetStore } from './privacy-budget.store';
import type { PrivacyRelease } from './privacy.type';
import type { RepeatPurchase } from './repeat-purchase.type';
import type { SessionStatistics } from './session-statistics.type';

export interface AnalyticsOptions {
  /**
   * In a private release, the most one shopper adds to each group of counts: events per funnel
   * step, events to the activity histograms, sessions, purchase-day gaps. What is over it is left
   * out, so the stated sensitivity holds.
   */
  maxContributions: number;
  /** The largest delta a release may ask for (PRIVACY_MAX_DELTA). */
  maxDelta: number;
  /** Noise source. @default secureRng() — only tests pass a seeded one. */
  rng?: Rng;
}

const EVENT_TYPES = Object.values(EventType);
const HOURS = 24;

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
/** Rates of noised counts can leave [0, 1]; clamping them is post-processing. */
const rate = (part: number, whole: number): number | null => {
  const value = ratio(part, whole);
  return value === null ? null : Math.min(1, Math.max(0, value));
};

/**
 * Behaviour analytics for the shop's staff. Without a privacy request, figures are exact. With
 * one, the analyst's budget is charged first, each shopper's contribution is bounded in SQL, the
 * counts are noised together in one release, and every rate, mean and median is derived from the
 * noised counts.
 */
export class AnalyticsService {
  private readonly events: EventStore;
  private readonly cap: number;
  private readonly maxDelta: number;
  private readonly rng: Rng;

  constructor(
    dataSource: DataSource,
    private readonly budgets: PrivacyBudgetStore,
    options: AnalyticsOptions,
  ) {
    if (!Number.isSafeInteger(options.maxContributions) || options.maxContributions < 1) {
      throw new Error(`maxContributions must be a positive integer, got ${options.maxContributions}`);
    }
    this.events = new EventStore(dataSource);
    this.cap = options.maxContributions;
    this.maxDelta = options.maxDelta;
    this.rng = options.rng ?? secureRng();
  }

  /**
   * Per shopper: at most C events of each step (3 counts), each step's shopper count by at most 1,
   * each reached count (CART, PURCHASE) by at most 1. L1 = 3C + 5, L2 = √(3C² + 5).
   */
  private funnelBounds(): GroupBounds[] {
    const c = this.cap;
    return [
      { l1: 3 * c, l2: Math.sqrt(3) * c },
      { l1: 3, l2: Math.sqrt(3) },
      { l1: 2, l2: Math.sqrt(2) },
    ];
  }

  /** C events per shopper, each in one hour cell and one weekday cell: L1 = 2C, L2 = √2·C. */
  private activityBounds(): GroupBounds[] {
    return [
      { l1: this.cap, l2: this.cap },
      { l1: this.cap, l2: this.cap },
    ];
  }

  /** C sessions per shopper, each in one events bucket, one duration bucket, maybe the purchase count: L1 = 3C, L2 = √3·C. */
  private sessionBounds(): GroupBounds[] {
    return [
      { l1: this.cap, l2: this.cap },
      { l1: this.cap, l2: this.cap },
      { l1: this.cap, l2: this.cap },
    ];
  }

  /** Purchasers and repeaters by at most 1 each, C gaps per shopper: L1 = C + 2, L2 = √(C² + 2). */
  private repeatBounds(): GroupBounds[] {
    return [
      { l1: 1, l2: 1 },
      { l1: 1, l2: 1 },
      { l1: this.cap, l2: this.cap },
    ];
  }

  async funnel(analystId: string, period: Period, categoryId: string | null, privacy: PrivacyRequest | null): Promise<BehaviourFunnel> {
    if (privacy === null) return { steps: funnelSteps(await this.events.funnel(period, categoryId, null)), privacy: null };
    const budget = await this.charge(analystId, 'behaviourFunnel', privacy, this.funnelBounds());
    const exact = await this.events.funnel(period, categoryId, this.cap);
    const bounds = this.funnelBounds();
    const noised = noiseCounts(
      [
        { counts: exact.events, ...bounds[0]! },
        { counts: exact.shoppers, ...bounds[1]! },
        { counts: exact.reached.slice(1), ...bounds[2]! },
      ],
      privacy,
      this.rng,
    );
    const [events, shoppers, [cart, purchase]] = noised.groups as [number[], number[], [number, number]];
    // Reaching a step takes being in it and having reached the step before; keeping that true of
    // noised counts is post-processing.
    const reachedCart = Math.min(cart, shoppers[1]!, shoppers[0]!);
    const reached = [shoppers[0]!, reachedCart, Math.min(purchase, shoppers[2]!, reachedCart)];
    return { steps: funnelSteps({ events, shoppers, reached }), privacy: released(noised.privacy, budget) };
  }

  async productFunnels(period: Period, categoryId: string, first: number, after: string | null): Promise<ProductFunnelConnection> {
    const position = after === null ? null : productCursor(after);
    const [rows, totalCount] = await Promise.all([
      this.events.productFunnels(period, categoryId, position, first + 1),
      this.events.productCount(period, categoryId),
    ]);
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    return {
      nodes: page.map((row) => ({
        product: { id: row.productId },
        views: row.views,
        carts: row.carts,
        purchases: row.purchases,
        cartRate: ratio(row.carts, row.views),
        conversion: ratio(row.purchases, row.views),
      })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.views, last.productId]) : null },
      totalCount,
    };
  }

  async activityPatterns(analystId: string, period: Period, categoryId: string | null, privacy: PrivacyRequest | null): Promise<ActivityPatterns> {
    const budget = privacy === null ? null : await this.charge(analystId, 'activityPatterns', privacy, this.activityBounds());
    const cells = await this.events.activity(period, categoryId, privacy === null ? null : this.cap);
    // Row-major [bucket][type] grids over the whole public domain, so empty cells are released too.
    const byHour = new Array<number>(HOURS * EVENT_TYPES.length).fill(0);
    const byWeekday = new Array<number>(WEEKDAYS.length * EVENT_TYPES.length).fill(0);
    for (const cell of cells) {
      const type = EVENT_TYPES.indexOf(cell.type);
      byHour[cell.hour * EVENT_TYPES.length + type]! += cell.events;
      byWeekday[cell.weekday * EVENT_TYPES.length + type]! += cell.events;
    }
    let grids = [byHour, byWeekday];
    let release: PrivacyRelease | null = null;
    if (privacy !== null && budget !== null) {
      const bounds = this.activityBounds();
      const noised = noiseCounts(
        grids.map((counts, index) => ({ counts, ...bounds[index]! })),
        privacy,
        this.rng,
      );
      grids = noised.groups;
      release = released(noised.privacy, budget);
    }
    const row = (grid: number[], bucket: number): { events: number; byType: ActivityTypeCount[] } => {
      const byType = EVENT_TYPES.map((type, index) => ({ type, events: grid[bucket * EVENT_TYPES.length + index]! }));
      return { events: byType.reduce((sum, entry) => sum + entry.events, 0), byType };
    };
    return {
      byHour: Array.from({ length: HOURS }, (_, hour) => ({ hour, ...row(grids[0]!, hour) })),
      byWeekday: WEEKDAYS.map((weekday, index) => ({ weekday, ...row(grids[1]!, index) })),
      privacy: release,
    };
  }

  async sessionStatistics(analystId: string, period: Period, privacy: PrivacyRequest | null): Promise<SessionStatistics> {
    if (privacy === null) {
      const summary = await this.events.sessionSummary(period);
      return {
        sessions: summary.sessions,
        meanEventsPerSession: summary.meanEvents,
        medianEventsPerSession: summary.medianEvents,
        meanDurationSeconds: summary.meanDuration,
        medianDurationSeconds: summary.medianDuration,
        bounceRate: ratio(summary.bounces, summary.sessions),
        sessionsWithPurchase: summary.purchaseSessions,
        privacy: null,
      };
    }
    const budget = await this.charge(analystId, 'sessionStatistics', privacy, this.sessionBounds());
    const histograms = await this.events.sessionHistograms(period, this.cap);
    const bounds = this.sessionBounds();
    const noised = noiseCounts(
      [
        { counts: histograms.byEvents, ...bounds[0]! },
        { counts: histograms.byDuration, ...bounds[1]! },
        { counts: [histograms.purchaseSessions], ...bounds[2]! },
      ],
      privacy,
      this.rng,
    );
    const [byEvents, byDuration, [purchaseSessions]] = noised.groups as [number[], number[], [number]];
    const eventBuckets = eventCountBuckets(this.cap);
    const sessions = byEvents.reduce((sum, count) => sum + count, 0);
    return {
      sessions,
      meanEventsPerSession: histogramMean(eventBuckets, byEvents),
      medianEventsPerSession: histogramMedian(eventBuckets, byEvents),
      meanDurationSeconds: histogramMean(DURATION_BUCKETS, byDuration),
      medianDurationSeconds: histogramMedian(DURATION_BUCKETS, byDuration),
      bounceRate: rate(byEvents[0]!, sessions),
      sessionsWithPurchase: Math.min(purchaseSessions, sessions),
      privacy: released(noised.privacy, budget),
    };
  }

  async categoryAffinity(period: Period, first: number, after: string | null): Promise<CategoryAffinityConnection> {
    const position = after === null ? null : categoryCursor(after);
    const [rows, totals] = await Promise.all([this.events.categoryAffinity(period, position, first + 1), this.events.categoryTotals(period)]);
    const overall = ratio(totals.buyers, totals.shoppers);
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    return {
      nodes: page.map((row) => {
        const conversion = row.buyers / row.shoppers;
        return {
          category: { id: row.categoryId },
          shoppers: row.shoppers,
          events: row.events,
          purchases: row.purchases,
          buyers: row.buyers,
          conversion,
          shareOfShoppers: row.shoppers / totals.shoppers,
          lift: overall ? conversion / overall : null,
        };
      }),
      pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.shoppers, last.categoryId]) : null },
      totalCount: totals.categories,
      totalShoppers: totals.shoppers,
      overallConversion: overall,
    };
  }

  async repeatPurchase(analystId: string, period: Period, privacy: PrivacyRequest | null): Promise<RepeatPurchase> {
    if (privacy === null) {
      const summary = await this.events.repeatSummary(period);
      return {
        purchasers: summary.purchasers,
        repeatPurchasers: summary.repeaters,
        repeatRate: ratio(summary.repeaters, summary.purchasers),
        medianDaysBetweenPurchases: summary.medianGap,
        privacy: null,
      };
    }
    const budget = await this.charge(analystId, 'repeatPurchase', privacy, this.repeatBounds());
    const histogram = await this.events.repeatHistogram(period, this.cap);
    const bounds = this.repeatBounds();
    const noised = noiseCounts(
      [
        { counts: [histogram.purchasers], ...bounds[0]! },
        { counts: [histogram.repeaters], ...bounds[1]! },
        { counts: histogram.gaps, ...bounds[2]! },
      ],
      privacy,
      this.rng,
    );
    const [[purchasers], [repeaters], gaps] = noised.groups as [[number], [number], number[]];
    const repeatPurchasers = Math.min(repeaters, purchasers);
    return {
      purchasers,
      repeatPurchasers,
      repeatRate: rate(repeatPurchasers, purchasers),
      medianDaysBetweenPurchases: histogramMedian(GAP_BUCKETS, gaps),
      privacy: released(noised.privacy, budget),
    };
  }

  budget(analystId: string): Promise<PrivacyBudgetState & { platform: PlatformBudgetState }> {
    return this.budgets.read(analystId);
  }

  /**
   * Raises another admin's budget. Nobody raises their own, so spending past the default takes a
   * second person; the ids are compared in their canonical form, since any other spelling of the
   * granter's own id would key the granter's own row.
   */
  grant(granterId: string, analystId: string, amount: ReleaseCost): Promise<PrivacyBudgetState & { platform: PlatformBudgetState }> {
    const analyst = canonicalUserId(analystId);
    if (analyst === null) throw badInput('analystId must be a user id', 'analystId');
    if (analyst === canonicalUserId(granterId)) throw new AppError(ErrorCode.Forbidden, 'You may not raise your own privacy budget');
    if (!(amount.epsilon >= 0) || !Number.isFinite(amount.epsilon)) throw badInput('epsilon must be a non-negative number', 'epsilon');
    if (!(amount.delta >= 0 && amount.delta < 1)) throw badInput('delta must be at least 0 and below 1', 'delta');
    if (amount.epsilon === 0 && amount.delta === 0) throw badInput('grant some epsilon or delta', 'epsilon');
    return this.budgets.grant(analyst, amount);
  }

  /** Checks the request against the mechanism and the largest delta, then pays for it before anything is read. */
  private charge(analystId: string, query: string, privacy: PrivacyRequest, bounds: GroupBounds[]): Promise<PrivacyBudgetState> {
    return this.budgets.charge(analystId, query, checkRequest(privacy, sensitivityOf(bounds, privacy.mechanism), this.maxDelta));
  }
}

function funnelSteps(counts: FunnelCounts): BehaviourFunnel['steps'] {
  const viewers = counts.reached[0]!;
  return FUNNEL_STEPS.map((type, index) => ({
    type,
    events: counts.events[index]!,
    shoppers: counts.shoppers[index]!,
    reached: counts.reached[index]!,
    conversion: index === 0 ? null : rate(counts.reached[index]!, counts.reached[index - 1]!),
    overallConversion: rate(counts.reached[index]!, viewers),
  }));
}

function released(privacy: Omit<PrivacyRelease, 'budgetRemaining' | 'budgetRemainingDelta'>, budget: PrivacyBudgetState): PrivacyRelease {
  return { ...privacy, budgetRemaining: budget.remaining, budgetRemainingDelta: budget.remainingDelta };
}

const notOurs = () => badInput('after is not a cursor this API issued', 'after');

function productCursor(after: string): { views: number; productId: string } {
  const [views, productId, ...rest] = decodeCursor(after);
  if (typeof views !== 'number' || !Number.isSafeInteger(views) || typeof productId !== 'string' || !isRowId(productId) || rest.length > 0) throw notOurs();
  return { views, productId };
}

function categoryCursor(after: string): { shoppers: number; categoryId: string } {
  const [shoppers, categoryId, ...rest] = decodeCursor(after);
  if (typeof shoppers !== 'number' || !Number.isSafeInteger(shoppers) || typeof categoryId !== 'string' || !isRowId(categoryId) || rest.length > 0)
    throw notOurs();
  return { shoppers, categoryId };
}
