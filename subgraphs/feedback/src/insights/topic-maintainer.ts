import { PeriodicTask } from '@serendip/federation';
import { addToCentroid } from '@serendip/recsys';
import { addToBaseline, emptyBaseline, TermStatistics } from '@serendip/text';
import { withLease, type Lease } from '@serendip/db';
import type { DataSource } from 'typeorm';
import type { CategoryBackfill } from './category-backfill';
import { NO_TOPIC, type InsightsStore } from './insights.store';
import { fitTopics, topicOf } from './topic-fit';
import { TopicModel } from './topic-model';
import { logger } from '@serendip/telemetry';

/** Below this many analysed reviews of a polarity it gets no topics: clusters of a handful of reviews are noise. */
export const MIN_TOPIC_REVIEWS = 20;
/** Fixed, so the same reviews always give the same topics. */
const SEED = 20_251_203;
/**
 * Fitting runs in the subgraph's event loop: k-means on a seeded sample of at most this many
 * reviews per polarity bounds the pause, and every review is then placed by its nearest centroid.
 */
export const TOPIC_FIT_SAMPLE = 2000;

/** A pass renews its lease every third of this; an instance that died frees it after this long. */
const LEASE_TTL_MS = 60_000;

export interface TopicMaintainerOptions {
  everyMs: number;
  /** @default TOPIC_FIT_SAMPLE */
  fitSample?: number;
  /** Called after a pass that changed some category's topics (public in `feedbackSummary`). @default none */
  changed?: () => Promise<void>;
}

/**
 * Keeps each category's review topics, term statistics and aspect baseline current. Every pass (at
 * start, then every `everyMs`) first gives imported reviews their category, then, for each
 * category whose analysed reviews changed:
 * - no model yet (or one of an earlier version), no topics and new reviews since, or twice the
 *   reviews it was fitted on: refit (`fitTopics`: within each polarity, k by NPMI coherence) and
 *   re-assign every review;
 * - otherwise incrementally: each new review joins the nearest topic of its polarity, whose centroid
 *   moves to the running mean, and its tokens and aspects join the term statistics and the
 *   baseline. Labels stay until the next refit.
 * One subgraph instance works at a time, under a lease in its database (`withLease`), checked before each write.
 */
export class TopicMaintainer {
  private task: PeriodicTask | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: InsightsStore,
    private readonly backfill: CategoryBackfill,
    private readonly options: TopicMaintainerOptions,
  ) {}

  start(): void {
    this.task = new PeriodicTask('topic upkeep failed', this.options.everyMs, async () => {
      if ((await this.pass()).length > 0) await this.options.changed?.();
    }).start();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
  }

  /** One pass; returns the categories it changed (none when another instance holds the lease). */
  async pass(): Promise<string[]> {
    const done = await withLease(this.dataSource, 'review-topics', { ttlMs: LEASE_TTL_MS }, async (lease) => {
      // Categories are known for reviews written through the API; a catalogue that does not answer only delays imports.
      await this.backfill.run().catch((error: unknown) => logger().error({ err: error }, 'category backfill failed'));
      return this.updateTopics(lease);
    });
    return done.held ? done.value : [];
  }

  private async updateTopics(lease: Lease): Promise<string[]> {
    const progress = await this.store.categoryProgress();
    const stored = new Map((await this.store.models(progress.map((category) => category.categoryId))).map((row) => [row.categoryId, row]));
    const changed: string[] = [];
    for (const { categoryId, analysed, unassigned } of progress) {
      const row = stored.get(categoryId);
      const model = row ? TopicModel.parse(row.model) : null;
      const stale =
        !model || !row || (model.topics.length === 0 && analysed > row.fittedReviews && analysed >= MIN_TOPIC_REVIEWS) || analysed >= 2 * row.fittedReviews;
      if (stale) await this.refit(lease, categoryId, analysed);
      else if (analysed !== model.reviews || (model.topics.length > 0 && unassigned > 0))
        await this.extend(lease, categoryId, analysed, model, { fittedReviews: row.fittedReviews, fittedAt: row.fittedAt });
      else continue;
      changed.push(categoryId);
      // Let requests in between categories: a pass over many of them is CPU work in this process.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return changed;
  }

  private async refit(lease: Lease, categoryId: string, analysed: number): Promise<void> {
    const inputs = await this.store.topicInputs(categoryId, false);
    const terms = new TermStatistics();
    const baseline = emptyBaseline();
    for (const input of inputs) {
      terms.add(Object.keys(input.terms));
      addToBaseline(baseline, input.aspects);
    }
    const fit = fitTopics(inputs, { minPolarityReviews: MIN_TOPIC_REVIEWS, fitSample: this.options.fitSample ?? TOPIC_FIT_SAMPLE, seed: SEED });
    const members = new Map<number, string[]>();
    fit.assignments.forEach((topic, index) => pushTo(members, topic ?? NO_TOPIC, inputs[index]!.reviewId));
    // A fit takes seconds: an instance paused past its lease must not write over its successor's.
    await lease.assertHeld();
    await this.store.assignTopics(members);
    const model = new TopicModel(analysed, fit, terms, baseline);
    const now = new Date();
    await this.store.saveModel({ categoryId, model: JSON.stringify(model.toJSON()), fittedReviews: inputs.length, fittedAt: now, updatedAt: now });
  }

  private async extend(
    lease: Lease,
    categoryId: string,
    analysed: number,
    model: TopicModel,
    fitted: { fittedReviews: number; fittedAt: Date },
  ): Promise<void> {
    const inputs = await this.store.topicInputs(categoryId, true);
    const topics = model.topics.map((topic) => ({ ...topic }));
    const fit = { ...model.fit, topics };
    const assigned = new Map<number, string[]>();
    for (const input of inputs) {
      model.terms.add(Object.keys(input.terms));
      addToBaseline(model.aspects, input.aspects);
      const placed = topicOf(fit, input);
      if (placed === null) {
        pushTo(assigned, NO_TOPIC, input.reviewId);
        continue;
      }
      const joined = topics[placed.topic]!;
      joined.centroid = addToCentroid(joined.centroid, joined.size, placed.vector);
      joined.size += 1;
      pushTo(assigned, placed.topic, input.reviewId);
    }
    await lease.assertHeld();
    await this.store.assignTopics(assigned);
    const next = new TopicModel(analysed, fit, model.terms, model.aspects);
    await this.store.saveModel({ categoryId, model: JSON.stringify(next.toJSON()), ...fitted, updatedAt: new Date() });
  }
}

function pushTo<K, T>(groups: Map<K, T[]>, key: K, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}
