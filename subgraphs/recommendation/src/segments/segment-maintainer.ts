import { PeriodicTask } from '@serendip/federation';
import {
  alignSegments,
  differenceCategoryId,
  findSegments,
  segmentLabels,
  segmentModelToJson,
  segmentSummary,
  type SegmentDescription,
} from '@serendip/recsys';
import { withLease } from '@serendip/db';
import type { DataSource } from 'typeorm';
import { EventStore } from '../event/event.store';
import { InterestStore } from '../interest/interest.store';
import type { SegmentStore } from './segment.store';
import { shopperActivities } from './shopper-activity';
import { logger } from '@serendip/telemetry';

/** Fewer shoppers than this make no segments worth describing. */
export const MIN_SEGMENT_SHOPPERS = 20;
/** How soon labels left with category ids (the catalogue did not answer) are named again. */
const RENAME_MS = 15_000;
/** Fixed, so the same behaviour always gives the same segments. */
const SEED = 20_251_203;
/** A pass renews its lease every third of this; an instance that died frees it after this long. */
const LEASE_TTL_MS = 60_000;

export interface SegmentMaintainerOptions {
  everyMs: number;
  /** Behaviour this many days recent shapes segments; 0 reads all of it. */
  windowDays: number;
  /** The shop's IANA time zone, in which hours of day are read. @default UTC */
  timeZone?: string;
  /** Category names by id for the labels (the catalogue owns them); without it, or when it fails, labels say "category <id>". */
  categoryNames?: (ids: readonly string[]) => Promise<Map<string, string>>;
  /**
   * Prices by product id (the catalogue owns them), for spend and price level; without it, or when
   * it fails, spend counts signed orders only and nobody has a price level until the next refit.
   */
  prices?: (ids: readonly string[]) => Promise<Map<string, number>>;
}

/**
 * Refits shopper segments at start and every `everyMs`: consenting shoppers with events in the
 * window, their behaviour and interest direction (see findSegments: k by the best mean
 * silhouette among the k stable under bootstrap refits), numbered after the previous fit's segments (alignSegments), then stores the model
 * and every assignment at once. One instance works at a time,
 * under a lease in its database (`withLease`), checked before the write.
 */
export class SegmentMaintainer {
  private task: PeriodicTask | null = null;
  private renaming: PeriodicTask | null = null;
  /** The stored labels show category ids: at start-up the catalogue often answers after the first fit. */
  private unnamed = false;
  private readonly events: EventStore;
  private readonly interests: InterestStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SegmentStore,
    private readonly options: SegmentMaintainerOptions,
  ) {
    this.events = new EventStore(dataSource);
    this.interests = new InterestStore(dataSource);
  }

  start(): this {
    this.task = new PeriodicTask('segment refit failed', this.options.everyMs, () => this.pass()).start();
    this.renaming = new PeriodicTask('segment labels failed', RENAME_MS, () => (this.unnamed ? this.rename() : Promise.resolve())).start();
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.task?.stop(), this.renaming?.stop()]);
  }

  /**
   * Labels that name categories rather than show their ids. A catalogue that does not answer
   * leaves ids, not a failed refit, and `rename` tries again soon.
   */
  private async named<S extends SegmentDescription>(segments: readonly S[]): Promise<{ segments: S[]; complete: boolean }> {
    const ids = [
      ...new Set(
        segments.flatMap((segment) => [
          ...segment.topCategories.map((category) => category.categoryId),
          ...segment.differences.flatMap((difference) => differenceCategoryId(difference.feature) ?? []),
        ]),
      ),
    ];
    let names = new Map<string, string>();
    let complete = true;
    try {
      if (this.options.categoryNames && ids.length > 0) names = await this.options.categoryNames(ids);
    } catch (error) {
      complete = false;
      logger().warn({ err: error }, 'segment labels show category ids for now: the catalogue did not name them');
    }
    const categoryName = (id: string) => names.get(id) ?? `category ${id}`;
    const labels = segmentLabels(segments, categoryName);
    return { segments: segments.map((segment, i) => ({ ...segment, summary: segmentSummary(segment, categoryName), label: labels[i]! })), complete };
  }

  /** The catalogue's prices; none when it does not answer, which a refit survives (see `prices`). */
  private async prices(productIds: readonly string[]): Promise<Map<string, number>> {
    if (!this.options.prices || productIds.length === 0) return new Map();
    try {
      return await this.options.prices(productIds);
    } catch (error) {
      logger().warn({ err: error }, 'segments refitted without prices: the catalogue did not give them');
      return new Map();
    }
  }

  /** Names the stored segments' categories, unless a refit has replaced them meanwhile. Returns whether the labels are named now. */
  async rename(): Promise<boolean> {
    const stored = await this.store.load();
    if (!stored) return true;
    const { segments, complete } = await this.named(stored.segments);
    if (!complete) return false;
    await this.store.relabel(stored, segments);
    this.unnamed = false;
    return true;
  }

  /** Returns how many shoppers got a segment (0 when too few, or another instance holds the lease). */
  async pass(now = new Date()): Promise<number> {
    const done = await withLease(this.dataSource, 'segments', { ttlMs: LEASE_TTL_MS }, async (lease) => {
      const since = this.options.windowDays > 0 ? new Date(now.getTime() - this.options.windowDays * 86_400_000) : new Date(0);
      const counts = await this.events.segmentCounts(since, this.options.timeZone);
      const activities = shopperActivities(counts, await this.interests.all(), await this.prices(counts.products.map((row) => row.productId)));
      if (activities.length < MIN_SEGMENT_SHOPPERS) return 0;
      // Numbered as before wherever the members overlap: bandit weights and experiments refer to the numbers.
      const { model, assignments, segments } = alignSegments(findSegments(activities, { seed: SEED }), await this.store.assignments());
      const named = await this.named(segments);
      // A fit takes seconds: an instance paused past its lease must not write over its successor's.
      await lease.assertHeld();
      await this.store.save({ model: segmentModelToJson(model), segments: named.segments, shoppers: activities.length, fittedAt: now }, assignments, since);
      this.unnamed = !named.complete;
      return assignments.size;
    });
    return done.held ? done.value : 0;
  }
}
