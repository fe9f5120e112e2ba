import { enqueueAnalyseReview, withinTimeout, type JobQueue, type JobName } from '@serendip/jobs';
import type { ReviewAnalysisStore } from './review-analysis.store';
import { logger } from '@serendip/telemetry';

const PAGE = 1000;

/**
 * Queues review analyses. A review is written PENDING first, so a queueing that fails (Redis
 * down) leaves it pending, and the sweep, at start and every `everyMs`, queues whatever has been
 * pending longer than `staleAfterMs`. Job ids are deterministic, so re-queueing a review whose job
 * is waiting or running adds nothing. Each enqueue takes at most `timeoutMs`, so a review is never
 * held up by Redis being away.
 */
export class AnalysisJobs {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: ReviewAnalysisStore,
    private readonly queue: JobQueue<typeof JobName.AnalyseReview>,
    private readonly options: { everyMs: number; staleAfterMs: number; timeoutMs: number },
  ) {}

  async enqueue(reviews: readonly { reviewId: string; text: string }[]): Promise<void> {
    await withinTimeout(enqueueAnalyseReview(this.queue, reviews), this.options.timeoutMs, 'review analyses');
  }

  /** Queues every analysis pending since before `before`; returns how many. */
  async sweep(before: Date): Promise<number> {
    let queued = 0;
    // Queued rows stay PENDING until the worker answers, so each page starts after the last.
    for (;;) {
      const page = await this.store.pending(before, PAGE, queued);
      if (page.length === 0) return queued;
      await this.enqueue(page);
      queued += page.length;
      if (page.length < PAGE) return queued;
    }
  }

  /** Queues everything pending now (unless Redis is away: the next sweep does), then keeps sweeping in the background. */
  async start(): Promise<number> {
    const queued = await this.sweep(new Date()).catch((error: unknown) => {
      logger().error({ err: error }, 'pending analyses not queued at start; the sweep will');
      return 0;
    });
    this.timer = setInterval(
      () =>
        void this.sweep(new Date(Date.now() - this.options.staleAfterMs)).catch((error: unknown) => logger().error({ err: error }, 'analysis sweep failed')),
      this.options.everyMs,
    );
    this.timer.unref();
    return queued;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue.close();
  }
}
