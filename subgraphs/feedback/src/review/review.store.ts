import { badInput } from '@serendip/federation';
import { isRowId } from '@serendip/db';
import type { DataSource, Repository } from 'typeorm';
import { detectLanguage } from '@serendip/text';
import { ReviewEntity } from './review.entity';
import { reviewRating, reviewText } from './review.validation';

/** A review as the demo-data importer supplies it. */
export interface ImportedReview {
  userId: string;
  productId: string;
  rating: number;
  text: string;
  /** Detected from the text when absent. */
  language?: string;
  createdAt: Date;
  /** The source's id for this review; unique per user, it makes a re-run a no-op. */
  clientReviewId: string;
}

const CHUNK = 500;
const LANGUAGE = /^([a-z]{2}|und)$/;

/** Bulk access for the demo-data importer; the GraphQL API writes through ReviewService. */
export class ReviewStore {
  private readonly repo: Repository<ReviewEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository(ReviewEntity);
  }

  /**
   * Inserts reviews in chunks and skips any whose (user, clientReviewId) or (user, product) is
   * already stored, so an interrupted or repeated import converges. Rows are validated first
   * because INSERT IGNORE would otherwise also turn bad values into silent warnings.
   * Returns how many rows were new. Within a call, rows are inserted oldest first.
   */
  /**
   * The shopper's reviews of at most `maxRating` stars, newest first: products that disappointed
   * them, which lower their affinity to similar products (the worker reads this).
   */
  async lowRated(userId: string, maxRating: number, limit = 50): Promise<{ productId: string; rating: number; createdAt: Date }[]> {
    const rows: { productId: string; rating: number; createdAt: Date | string }[] = await this.dataSource.query(
      'SELECT product_id AS productId, rating, created_at AS createdAt FROM review WHERE user_id = ? AND rating <= ? ORDER BY created_at DESC LIMIT ?',
      [userId, maxRating, limit],
    );
    return rows.map((row) => ({ productId: String(row.productId), rating: Number(row.rating), createdAt: new Date(row.createdAt) }));
  }

  async insertReviews(rows: readonly ImportedReview[]): Promise<number> {
    const values = rows.map((row, index) => {
      const at = (message: string) => badInput(`review ${index} (${row.clientReviewId}): ${message}`);
      if (row.userId.length < 1 || row.userId.length > 36) throw at('userId must be 1 to 36 characters');
      if (!isRowId(row.productId)) throw at('productId must be a catalogue product id');
      if (row.clientReviewId.length < 1 || row.clientReviewId.length > 64) throw at('clientReviewId must be 1 to 64 characters');
      if (!(row.createdAt instanceof Date) || Number.isNaN(row.createdAt.getTime())) throw at('createdAt must be a valid date');
      if (row.language !== undefined && !LANGUAGE.test(row.language)) throw at('language must be an ISO 639-1 code or und');
      const text = reviewText(row.text);
      return [row.userId, row.productId, reviewRating(row.rating), text, row.language ?? detectLanguage(text), row.createdAt, row.clientReviewId] as const;
    });
    // Pages are ordered by id, so ids handed out in time order keep "newest first" true for imports.
    values.sort((a, b) => a[5].getTime() - b[5].getTime());
    let inserted = 0;
    for (let start = 0; start < values.length; start += CHUNK) {
      const chunk = values.slice(start, start + CHUNK);
      const result: { affectedRows: number } = await this.dataSource.query(
        `INSERT IGNORE INTO review (user_id, product_id, rating, text, language, created_at, client_review_id)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        chunk.flat(),
      );
      inserted += result.affectedRows;
    }
    // Every imported review awaits analysis; the subgraph queues pending analyses when it starts.
    await this.dataSource.query(
      `INSERT IGNORE INTO review_analysis (review_id, status, requested_at)
       SELECT review.id, 'PENDING', CURRENT_TIMESTAMP(3) FROM review
       LEFT JOIN review_analysis analysis ON analysis.review_id = review.id WHERE analysis.review_id IS NULL`,
    );
    return inserted;
  }

  countReviews(): Promise<number> {
    return this.repo.count();
  }
}
