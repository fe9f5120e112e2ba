import { AppError, ErrorCode } from '@serendip/federation';
import { forgetJobs, InterestRequestStore, JobName, type JobQueue } from '@serendip/jobs';
import type { DataSource } from 'typeorm';

export interface ForgottenReviews {
  reviews: number;
  jobs: number;
}

export const forgottenError = () => new AppError(ErrorCode.Forbidden, 'This account has been deleted');

/**
 * Forgetting here follows one policy: a shopper's reviews are deleted, not anonymised. Review text
 * is free text and can name or describe its writer (sizes, places, family), so stripping the
 * author would not make it anonymous. Their analyses go with them (ON DELETE CASCADE), queued or
 * kept analysis jobs and their event-stream entries are removed, and the topic models of the
 * categories they were in are dropped, to be refitted without them on the next upkeep pass.
 */
export class FeedbackPrivacy {
  constructor(
    private readonly dataSource: DataSource,
    private readonly analysisQueue: JobQueue<typeof JobName.AnalyseReview>,
  ) {}

  async isForgotten(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM forgotten_shopper WHERE user_id = ?', [userId]);
    return rows.length > 0;
  }

  /** A forgotten account's token may still be valid for days: it writes nothing here. */
  async requireNotForgotten(userId: string): Promise<void> {
    if (await this.isForgotten(userId)) throw forgottenError();
  }

  /** Idempotent: a second call deletes nothing more. */
  async forget(userId: string): Promise<ForgottenReviews> {
    const reviewIds = await this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO forgotten_shopper (user_id, forgotten_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE forgotten_at = forgotten_at', [
        userId,
        new Date(),
      ]);
      const rows: { id: string | number; categoryId: string | number | null }[] = await manager.query(
        'SELECT id, category_id AS categoryId FROM review WHERE user_id = ? FOR UPDATE',
        [userId],
      );
      await new InterestRequestStore(this.dataSource).deleteShopper(manager, userId);
      if (rows.length === 0) return [];
      await manager.query('DELETE FROM review WHERE user_id = ?', [userId]);
      const categories = [...new Set(rows.flatMap((row) => (row.categoryId === null ? [] : [String(row.categoryId)])))];
      if (categories.length > 0) await manager.query('DELETE FROM review_topic_model WHERE category_id IN (?)', [categories]);
      return rows.map((row) => String(row.id));
    });
    const doomed = new Set(reviewIds);
    const jobs = await forgetJobs(
      this.analysisQueue,
      (job) => doomed.has(job.data.reviewId),
      reviewIds.flatMap((id) => [`${JobName.AnalyseReview}/${id}/`, `"reviewId":"${id}"`]),
    );
    return { reviews: reviewIds.length, jobs };
  }
}
