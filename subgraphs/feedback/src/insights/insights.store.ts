import type { AnalysedReview, AspectMention, ReviewSentiment } from '@serendip/text';
import { In, type DataSource } from 'typeorm';
import type { SentimentLabel } from '../analysis/review-analysis.store';
import { ReviewTopicModelEntity } from './topic-model.entity';

/** A review with whatever the worker made of it, as summaries read it. */
export interface InsightReview extends AnalysedReview {
  productId: string;
  categoryId: string | null;
}

interface InsightRow {
  id: string | number;
  productId: string | number;
  categoryId: string | number | null;
  rating: number;
  text: string;
  language: string;
  status: string | null;
  sentiment: SentimentLabel | null;
  sentimentScore: number | null;
  scores: string | null;
  aspects: string | null;
  terms: string | null;
  topic: number | null;
}

const INSIGHT_COLUMNS = `review.id AS id, review.product_id AS productId, review.category_id AS categoryId, review.rating AS rating,
  review.text AS text, COALESCE(analysis.language, review.language) AS language, analysis.status AS status,
  analysis.sentiment AS sentiment, analysis.sentiment_score AS sentimentScore, analysis.scores AS scores,
  analysis.aspects AS aspects, analysis.terms AS terms, analysis.topic AS topic`;

function toInsight(row: InsightRow): InsightReview {
  const done = row.status === 'DONE' && row.sentiment !== null && row.sentimentScore !== null;
  const sentiment: ReviewSentiment | null = done
    ? { label: row.sentiment!, score: row.sentimentScore!, ...(row.scores !== null && { scores: JSON.parse(row.scores) as Record<SentimentLabel, number> }) }
    : null;
  return {
    id: String(row.id),
    productId: String(row.productId),
    categoryId: row.categoryId === null ? null : String(row.categoryId),
    rating: row.rating,
    text: row.text,
    language: row.language,
    sentiment,
    aspects: done && row.aspects !== null ? (JSON.parse(row.aspects) as AspectMention[]) : [],
    terms: done && row.terms !== null ? (JSON.parse(row.terms) as Record<string, number>) : {},
    topic: done && row.topic !== null && row.topic !== NO_TOPIC ? row.topic : null,
  };
}

/** What one product's reviews add up to. */
export interface ReviewTallyRow {
  productId: string;
  ratings: number;
  ratingSum: number;
  analysed: number;
  positive: number;
  negative: number;
}

/** Per category: analysed reviews, and how many of them still lack a topic. */
export interface CategoryProgress {
  categoryId: string;
  analysed: number;
  unassigned: number;
}

/** `review_analysis.topic` of a review that was placed but whose polarity has no topics; NULL means not placed yet. */
export const NO_TOPIC = -1;

/** What topic fitting reads of one analysed review. */
export interface TopicInput {
  reviewId: string;
  embedding: Float32Array;
  terms: Record<string, number>;
  polarity: SentimentLabel;
  aspects: AspectMention[];
}

function floats(buffer: Buffer): Float32Array {
  // Copied: a Buffer from the driver may sit at an offset of a shared pool that is not 4-aligned.
  const vector = new Float32Array(buffer.length / 4);
  for (let index = 0; index < vector.length; index += 1) vector[index] = buffer.readFloatLE(index * 4);
  return vector;
}

/** The reads and writes behind feedback summaries, topics and the category backfill. */
export class InsightsStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The newest `limit` reviews of each product, with their analyses. */
  async productReviews(productIds: readonly string[], limit: number): Promise<InsightReview[]> {
    if (productIds.length === 0) return [];
    const rows: InsightRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT ${INSIGHT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY review.product_id ORDER BY review.id DESC) AS position
         FROM review LEFT JOIN review_analysis analysis ON analysis.review_id = review.id
         WHERE review.product_id IN (?)
       ) ranked WHERE position <= ?`,
      [productIds, limit],
    );
    return rows.map(toInsight);
  }

  /** The newest `limit` reviews of a category, with their analyses. */
  async categoryReviews(categoryId: string, limit: number): Promise<InsightReview[]> {
    const rows: InsightRow[] = await this.dataSource.query(
      `SELECT ${INSIGHT_COLUMNS} FROM review LEFT JOIN review_analysis analysis ON analysis.review_id = review.id
       WHERE review.category_id = ? ORDER BY review.id DESC LIMIT ?`,
      [categoryId, limit],
    );
    return rows.map(toInsight);
  }

  async categoryProgress(): Promise<CategoryProgress[]> {
    const rows: { categoryId: string | number; analysed: string | number; unassigned: string | number }[] = await this.dataSource.query(
      `SELECT review.category_id AS categoryId, COUNT(*) AS analysed, SUM(analysis.topic IS NULL) AS unassigned
       FROM review_analysis analysis JOIN review ON review.id = analysis.review_id
       WHERE analysis.status = 'DONE' AND review.category_id IS NOT NULL GROUP BY review.category_id`,
    );
    return rows.map((row) => ({ categoryId: String(row.categoryId), analysed: Number(row.analysed), unassigned: Number(row.unassigned) }));
  }

  /** Analysed reviews of a category, all or only those without a topic, in id order. */
  async topicInputs(categoryId: string, onlyUnassigned: boolean): Promise<TopicInput[]> {
    const rows: {
      reviewId: string | number;
      embedding: Buffer | null;
      terms: string | null;
      sentiment: SentimentLabel | null;
      aspects: string | null;
    }[] = await this.dataSource.query(
      `SELECT analysis.review_id AS reviewId, analysis.embedding AS embedding, analysis.terms AS terms, analysis.sentiment AS sentiment,
         analysis.aspects AS aspects
       FROM review_analysis analysis JOIN review ON review.id = analysis.review_id
       WHERE review.category_id = ? AND analysis.status = 'DONE' ${onlyUnassigned ? 'AND analysis.topic IS NULL' : ''}
       ORDER BY analysis.review_id`,
      [categoryId],
    );
    return rows
      .filter((row) => row.embedding !== null && row.sentiment !== null)
      .map((row) => ({
        reviewId: String(row.reviewId),
        embedding: floats(row.embedding!),
        terms: row.terms === null ? {} : (JSON.parse(row.terms) as Record<string, number>),
        polarity: row.sentiment!,
        aspects: row.aspects === null ? [] : (JSON.parse(row.aspects) as AspectMention[]),
      }));
  }

  /** Sets each review's topic (NO_TOPIC: placed, its polarity has none). */
  async assignTopics(assignments: ReadonlyMap<number, readonly string[]>): Promise<void> {
    for (const [topic, reviewIds] of assignments) {
      for (let start = 0; start < reviewIds.length; start += 1000) {
        await this.dataSource.query(`UPDATE review_analysis SET topic = ? WHERE review_id IN (?) AND status = 'DONE'`, [
          topic,
          reviewIds.slice(start, start + 1000),
        ]);
      }
    }
  }

  async models(categoryIds: readonly string[]): Promise<ReviewTopicModelEntity[]> {
    if (categoryIds.length === 0) return [];
    return this.dataSource.getRepository(ReviewTopicModelEntity).findBy({ categoryId: In([...categoryIds]) });
  }

  /** When each category's model last changed, without the models themselves. */
  async modelVersions(categoryIds: readonly string[]): Promise<Map<string, number>> {
    if (categoryIds.length === 0) return new Map();
    const rows: { categoryId: string | number; updatedAt: Date }[] = await this.dataSource.query(
      'SELECT category_id AS categoryId, updated_at AS updatedAt FROM review_topic_model WHERE category_id IN (?)',
      [categoryIds],
    );
    return new Map(rows.map((row) => [String(row.categoryId), row.updatedAt.getTime()]));
  }

  async saveModel(row: ReviewTopicModelEntity): Promise<void> {
    await this.dataSource.getRepository(ReviewTopicModelEntity).save(row);
  }

  /** Per product, in id order after `afterProductId`: what its reviews add up to (the recommender's review quality). */
  async tallies(afterProductId: string, limit: number): Promise<ReviewTallyRow[]> {
    const rows: {
      productId: string | number;
      ratings: string | number;
      ratingSum: string | number;
      analysed: string | number;
      positive: string | number;
      negative: string | number;
    }[] = await this.dataSource.query(
      `SELECT review.product_id AS productId, COUNT(*) AS ratings, SUM(review.rating) AS ratingSum,
           COALESCE(SUM(analysis.status = 'DONE'), 0) AS analysed,
           COALESCE(SUM(analysis.status = 'DONE' AND analysis.sentiment = 'positive'), 0) AS positive,
           COALESCE(SUM(analysis.status = 'DONE' AND analysis.sentiment = 'negative'), 0) AS negative
         FROM review LEFT JOIN review_analysis analysis ON analysis.review_id = review.id
         WHERE review.product_id > ? GROUP BY review.product_id ORDER BY review.product_id LIMIT ?`,
      [afterProductId, limit],
    );
    return rows.map((row) => ({
      productId: String(row.productId),
      ratings: Number(row.ratings),
      ratingSum: Number(row.ratingSum),
      analysed: Number(row.analysed),
      positive: Number(row.positive),
      negative: Number(row.negative),
    }));
  }

  /** Products whose reviews have no category yet, in id order after `afterProductId`. */
  async productsWithoutCategory(afterProductId: string, limit: number): Promise<string[]> {
    const rows: { productId: string | number }[] = await this.dataSource.query(
      `SELECT DISTINCT product_id AS productId FROM review WHERE category_id IS NULL AND product_id > ? ORDER BY product_id LIMIT ?`,
      [afterProductId, limit],
    );
    return rows.map((row) => String(row.productId));
  }

  async setCategories(categories: ReadonlyMap<string, string>): Promise<void> {
    const byCategory = new Map<string, string[]>();
    for (const [productId, categoryId] of categories) byCategory.set(categoryId, [...(byCategory.get(categoryId) ?? []), productId]);
    for (const [categoryId, productIds] of byCategory) {
      await this.dataSource.query('UPDATE review SET category_id = ? WHERE product_id IN (?) AND category_id IS NULL', [categoryId, productIds]);
    }
  }
}
