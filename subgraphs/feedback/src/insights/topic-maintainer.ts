import { PeriodicTask } from '@serendip/federation';
import { addToCentroid, chooseK, kMeans, nearestCentroid, seededRng } from '@serendip/recsys';
import { labelTopics, TermStatistics } from '@serendip/text';
import type { DataSource } from 'typeorm';
import type { CategoryBackfill } from './category-backfill';
import type { InsightsStore, TopicInput } from './insights.store';
import { TopicModel } from './topic-model';

/** Below this many analysed reviews a category gets term statistics but no topics: clusters of a handful of reviews are noise. */
export const MIN_TOPIC_REVIEWS = 20;
/** Candidate topic counts; chooseK keeps the one with the best silhouette. */
const TOPIC_COUNTS = [2, 3, 4, 5, 6, 7, 8];
/** Fixed, so the same reviews always give the same topics. */
const SEED = 20_251_203;
/**
 * k-means runs in the subgraph's event loop: fitting on a seeded sample of at most this many
 * reviews bounds the pause (well under a second), and every review is then placed by its nearest
 * centroid.
 */
export const TOPIC_FIT_SAMPLE = 2000;

function sample<T>(items: readonly T[], size: number): T[] {
  if (items.length <= size) return [...items];
  const rng = seededRng(SEED);
  const copy = [...items];
  // Partial Fisher–Yates: the first `size` places end up a uniform sample.
  for (let i = 0; i < size; i += 1) {
    const j = i + Math.floor(rng() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, size);
}

export interface TopicMaintainerOptions {
  everyMs: number;
  /** @default TOPIC_FIT_SAMPLE */
  fitSample?: number;
}

/**
 * Keeps each category's review topics and term statistics current. Every pass (at start, then
 * every `everyMs`) first gives imported reviews their category, then, for each category whose
 * analysed reviews changed:
 * - no model yet, too few reviews for topics before, or twice the reviews it was fitted on: refit
 *   (k by silhouette, spherical k-means on a sample of at most TOPIC_FIT_SAMPLE reviews, labels
 *   by their most over-represented words, see labelTopics) and re-assign every review to its
 *   nearest topic;
 * - otherwise incrementally: each new review joins its nearest topic, whose centroid moves to the
 *   running mean, and its tokens join the term statistics. Labels stay until the next refit.
 * One subgraph instance works at a time, under a MySQL named lock per database.
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
    this.task = new PeriodicTask('[feedback] topic upkeep failed', this.options.everyMs, () => this.pass()).start();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
  }

  /** One pass; returns the categories it changed (none when another instance holds the lock). */
  async pass(): Promise<string[]> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query(`SELECT GET_LOCK(CONCAT(DATABASE(), '.review-topics'), 0) AS held`)) as { held: number | string | null }[];
      if (Number(lock?.held) !== 1) return [];
      try {
        // Categories are known for reviews written through the API; a catalogue that does not answer only delays imports.
        await this.backfill.run().catch((error: unknown) => console.error('[feedback] category backfill failed:', error));
        return await this.updateTopics();
      } finally {
        await runner.query(`SELECT RELEASE_LOCK(CONCAT(DATABASE(), '.review-topics'))`);
      }
    } finally {
      await runner.release();
    }
  }

  private async updateTopics(): Promise<string[]> {
    const progress = await this.store.categoryProgress();
    const stored = new Map((await this.store.models(progress.map((category) => category.categoryId))).map((row) => [row.categoryId, row]));
    const changed: string[] = [];
    for (const { categoryId, analysed, unassigned } of progress) {
      const row = stored.get(categoryId);
      const model = row ? TopicModel.parse(row.model) : null;
      const stale = !model || !row || (model.k === 0 && analysed >= MIN_TOPIC_REVIEWS) || analysed >= 2 * row.fittedReviews;
      if (stale) await this.refit(categoryId, analysed);
      else if (analysed !== model.reviews || (model.k > 0 && unassigned > 0))
        await this.extend(categoryId, analysed, model, { fittedReviews: row.fittedReviews, fittedAt: row.fittedAt });
      else continue;
      changed.push(categoryId);
      // Let requests in between categories: a pass over many of them is CPU work in this process.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return changed;
  }

  private async refit(categoryId: string, analysed: number): Promise<void> {
    const inputs = await this.store.topicInputs(categoryId, false);
    const terms = new TermStatistics();
    for (const input of inputs) terms.add(Object.keys(input.terms));
    let model: TopicModel;
    if (inputs.length < MIN_TOPIC_REVIEWS) {
      model = new TopicModel(analysed, [], [], [], terms);
      await this.store.assignTopics(new Map([[null, inputs.map((input) => input.reviewId)]]));
    } else {
      const vectors = sample(
        inputs.map((input) => input.embedding),
        this.options.fitSample ?? TOPIC_FIT_SAMPLE,
      );
      const { k } = chooseK(vectors, { candidates: TOPIC_COUNTS, seed: SEED });
      const { centroids } = kMeans(vectors, k, { seed: SEED });
      const members = groupBy(inputs, (input) => nearestCentroid(input.embedding, centroids).index);
      const sizes = centroids.map((_, topic) => members.get(topic)?.length ?? 0);
      model = new TopicModel(analysed, centroids, sizes, labelTopics(termGroups(members)), terms);
      await this.store.assignTopics(new Map([...members].map(([topic, group]) => [topic, group.map((input) => input.reviewId)])));
    }
    const now = new Date();
    await this.store.saveModel({ categoryId, model: JSON.stringify(model.toJSON()), fittedReviews: inputs.length, fittedAt: now, updatedAt: now });
  }

  private async extend(categoryId: string, analysed: number, model: TopicModel, fitted: { fittedReviews: number; fittedAt: Date }): Promise<void> {
    const inputs = await this.store.topicInputs(categoryId, true);
    const centroids = [...model.centroids];
    const sizes = [...model.sizes];
    const assigned = new Map<number, string[]>();
    for (const input of inputs) {
      model.terms.add(Object.keys(input.terms));
      if (centroids.length === 0) continue;
      const { index } = nearestCentroid(input.embedding, centroids);
      centroids[index] = addToCentroid(centroids[index]!, sizes[index]!, input.embedding);
      sizes[index]! += 1;
      pushTo(assigned, index, input.reviewId);
    }
    await this.store.assignTopics(assigned);
    const next = new TopicModel(analysed, centroids, sizes, model.labels, model.terms);
    await this.store.saveModel({ categoryId, model: JSON.stringify(next.toJSON()), ...fitted, updatedAt: new Date() });
  }
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) pushTo(groups, keyOf(item), item);
  return groups;
}

function pushTo<T>(groups: Map<number, T[]>, key: number, item: T): void {
  const group = groups.get(key);
  if (group) group.push(item);
  else groups.set(key, [item]);
}

const termGroups = (members: ReadonlyMap<number, readonly TopicInput[]>) =>
  new Map([...members].map(([topic, group]) => [topic, group.map((input) => input.terms)] as const));
