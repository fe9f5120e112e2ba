import { Repeater } from '@graphql-yoga/subscription';
import { AppError, ErrorCode } from '@serendip/federation';
import { Topic } from '@serendip/jobs';
import type { SlateSource } from '../slate/slate-source';
import type { RecommendationSlate } from '../slate/slate.type';
import type { RecommendationSlot } from '../slate/slot';
import type { RedisChannels } from './redis-channels';
import { logger } from '@serendip/telemetry';

/** Products in each pushed slate. */
export const LIVE_SLATE_SIZE = 10;

/** One push: a fresh slate, or why none could be computed this time (the next notice retries). */
export type SlateEvent = { slate: RecommendationSlate } | { error: AppError };

/**
 * Live slates for subscriptions. Each stream listens to the shopper's
 * `Topic.recommendationsUpdated` channel (shared, reference-counted: see RedisChannels) and
 * yields the current slate at once, then a fresh one after notices. Pub/sub delivers at most once
 * and a reconnecting client has missed whatever came meanwhile, so every push is the whole state,
 * never a delta. Notices that arrive while a slate is being computed or waits for a slow reader
 * are folded into one more computation after it.
 *
 * At most `concurrency` slates are computed at once in the process; the others wait their turn
 * in memory, first come first served (at most one per stream). Notices come in bursts (every
 * subscription of a restarted gateway subscribes again at once, a campaign reaches many shoppers)
 * and, unbounded, a burst's computations would fill the database pool's queue, so that shoppers'
 * own requests are refused as busy and the slates fail too.
 */
export class LiveSlates {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly channels: RedisChannels,
    private readonly slates: SlateSource,
    private readonly pubsubPrefix: string,
    private readonly concurrency: number,
  ) {}

  /** Ends, releasing the channel, when the consumer returns. */
  updates(userId: string, slot: RecommendationSlot): Repeater<SlateEvent> {
    return new Repeater<SlateEvent>(async (push, stop) => {
      let stopped = false;
      void stop.then(() => {
        stopped = true;
      });
      let owed = true;
      let computing = false;
      const refresh = async () => {
        if (computing) return;
        computing = true;
        try {
          while (owed && !stopped) {
            owed = false;
            const event = await this.compute(userId, slot);
            // Resolves once the reader asks for more, so a stalled reader holds one slate, not many.
            if (!stopped) await push(event);
          }
        } catch (error) {
          // The reader threw into the stream: it wants no more.
          stop(error);
        } finally {
          computing = false;
        }
      };
      // Listening before the first computation: a notice sent meanwhile is owed, not lost.
      const leave = await this.channels.listen(Topic.recommendationsUpdated(userId, this.pubsubPrefix), () => {
        owed = true;
        void refresh();
      });
      void refresh();
      await stop;
      leave();
    });
  }

  private async compute(userId: string, slot: RecommendationSlot): Promise<SlateEvent> {
    if (this.running < this.concurrency) this.running += 1;
    // A finishing computation hands its turn on to the first waiting, without giving it back.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return { slate: await this.slates.slate({ userId, slot, first: LIVE_SLATE_SIZE }) };
    } catch (error) {
      logger().error({ err: error }, 'slate computation failed');
      return { error: new AppError(ErrorCode.Unavailable, 'Recommendations could not be refreshed; the next update will try again') };
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
