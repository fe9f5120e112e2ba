import { In, type DataSource, type EntityManager } from 'typeorm';
import { ReviewAnalysisEntity } from './review-analysis.entity';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

/** One aspect named in a clause of the review, with the clause's sentiment. */
export interface StoredAspect {
  aspect: string;
  sentiment: SentimentLabel;
  score: number;
  clause: string;
}

/** What the worker stores for one review. */
export interface AnalysisResult {
  reviewId: string;
  language: string;
  sentiment: { label: SentimentLabel; score: number; scores: Record<SentimentLabel, number> };
  embedding: Float32Array;
  aspects: readonly StoredAspect[];
  terms: Readonly<Record<string, number>>;
  keywords: readonly string[];
  model: string;
  version: string;
}

const ERROR_LENGTH = 500;
/** The `keywords` column's width; a review's keywords are cut to fit rather than refused. */
const KEYWORDS_LENGTH = 1000;

function keywordsJson(keywords: readonly string[]): string {
  const kept = [...keywords];
  while (JSON.stringify(kept).length > KEYWORDS_LENGTH) kept.pop();
  return JSON.stringify(kept);
}

function vectorBuffer(vector: Float32Array): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer;
}

/**
 * Review analyses in the feedback database. The subgraph writes the PENDING row with the review
 * (same transaction) and re-queues rows left pending; the worker, through this class, stores
 * results or marks a review FAILED once its job has used up its attempts.
 */
export class ReviewAnalysisStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Marks reviews as awaiting analysis (again); inside the caller's transaction when given one. */
  async request(reviewIds: readonly string[], at: Date, manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (reviewIds.length === 0) return;
    await manager.query(
      `INSERT INTO review_analysis (review_id, status, requested_at) VALUES ${reviewIds.map(() => `(?, 'PENDING', ?)`).join(', ')}
       ON DUPLICATE KEY UPDATE status = 'PENDING', requested_at = VALUES(requested_at), error = NULL`,
      reviewIds.flatMap((id) => [id, at]),
    );
  }

  /** Reviews still pending that were requested before `before`, oldest first, with their text. */
  async pending(before: Date, limit: number, offset = 0): Promise<{ reviewId: string; text: string }[]> {
    const rows: { reviewId: string; text: string }[] = await this.dataSource.query(
      `SELECT analysis.review_id AS reviewId, review.text AS text
       FROM review_analysis analysis JOIN review ON review.id = analysis.review_id
       WHERE analysis.status = 'PENDING' AND analysis.requested_at < ?
       ORDER BY analysis.requested_at, analysis.review_id LIMIT ? OFFSET ?`,
      [before, limit, offset],
    );
    return rows.map((row) => ({ reviewId: String(row.reviewId), text: row.text }));
  }

  async saveResults(all: readonly AnalysisResult[], at: Date): Promise<void> {
    if (all.length === 0) return;
    // A review deleted while its job ran (its writer was forgotten) gets no analysis back.
    const existing: { id: string | number }[] = await this.dataSource.query('SELECT id FROM review WHERE id IN (?)', [all.map((result) => result.reviewId)]);
    const kept = new Set(existing.map((row) => String(row.id)));
    const results = all.filter((result) => kept.has(result.reviewId));
    if (results.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO review_analysis (review_id, status, language, sentiment, sentiment_score, scores, embedding, aspects, terms, keywords,
         topic, model, model_version, error, requested_at, analysed_at)
       VALUES ${results.map(() => `(?, 'DONE', ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, ?, ?)`).join(', ')}
       ON DUPLICATE KEY UPDATE status = 'DONE', language = VALUES(language), sentiment = VALUES(sentiment),
         sentiment_score = VALUES(sentiment_score), scores = VALUES(scores), embedding = VALUES(embedding),
         aspects = VALUES(aspects), terms = VALUES(terms), keywords = VALUES(keywords), topic = NULL,
         model = VALUES(model), model_version = VALUES(model_version), error = NULL, analysed_at = VALUES(analysed_at)`,
      // topic is reset: a new embedding is placed in its category's topics afresh (see TopicMaintainer).
      results.flatMap((result) => [
        result.reviewId,
        result.language,
        result.sentiment.label,
        result.sentiment.score,
        JSON.stringify(result.sentiment.scores),
        vectorBuffer(result.embedding),
        JSON.stringify(result.aspects),
        JSON.stringify(result.terms),
        keywordsJson(result.keywords),
        result.model,
        result.version,
        at,
        at,
      ]),
    );
  }

  /** The review stays stored and visible; its analysis says it failed and why. */
  async markFailed(reviewId: string, error: string, at: Date): Promise<void> {
    await this.dataSource.query(`UPDATE review_analysis SET status = 'FAILED', error = ?, analysed_at = ? WHERE review_id = ? AND status <> 'DONE'`, [
      error.slice(0, ERROR_LENGTH),
      at,
      reviewId,
    ]);
  }

  async load(reviewIds: readonly string[]): Promise<ReviewAnalysisEntity[]> {
    if (reviewIds.length === 0) return [];
    return this.dataSource.getRepository(ReviewAnalysisEntity).findBy({ reviewId: In([...reviewIds]) });
  }
}
