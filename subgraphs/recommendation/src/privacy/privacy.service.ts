import { AppError, ErrorCode } from '@serendip/federation';
import { forgetJobs, JobName, type JobQueue } from '@serendip/jobs';
import type { ForgottenRows, PrivacyState, ShopperPrivacyStore } from './shopper-privacy.store';
import { logger } from '@serendip/telemetry';

export interface ForgetResult extends ForgottenRows {
  jobs: number;
}

/** Consent and forgetting for this subgraph: its rows, and the shopper's queued interest updates. */
export class PrivacyService {
  constructor(
    readonly store: ShopperPrivacyStore,
    private readonly interestQueue: JobQueue<typeof JobName.UpdateInterest>,
    /** Tells the shopper's live subscriptions that what they may be shown changed. */
    private readonly notices: { announce(userId: string): Promise<void> },
  ) {}

  state(userId: string): Promise<PrivacyState> {
    return this.store.state(userId);
  }

  /** A forgotten account's token may still be valid for days: it writes and reads nothing here. */
  async requireNotForgotten(userId: string): Promise<void> {
    if ((await this.store.state(userId)).forgotten) throw forgottenError();
  }

  /**
   * Records consent, then has open live subscriptions recompute: they push only after a notice,
   * and a shopper without consent causes none (no interest updates), so a page would otherwise
   * keep the slate it had until it reconnects. The notice is best effort: the consent is enforced
   * from the moment the store commits, and a Redis fault must not make a withdrawal fail.
   */
  async setConsent(userId: string, personalisation: boolean): Promise<void> {
    await this.store.setConsent(userId, personalisation, new Date());
    await this.notices
      .announce(userId)
      .catch((error: unknown) => logger().error({ err: error }, `could not tell live subscriptions of ${userId} about their consent`));
  }

  async forget(userId: string): Promise<ForgetResult> {
    const rows = await this.store.forget(userId, new Date());
    const dedupe = `${JobName.UpdateInterest}/${userId}`;
    const jobs = await forgetJobs(this.interestQueue, (job) => job.data.userId === userId, [userId]);
    await this.interestQueue.removeDeduplicationKey(dedupe);
    return { ...rows, jobs };
  }
}

export const forgottenError = () => new AppError(ErrorCode.Forbidden, 'This account has been deleted');
