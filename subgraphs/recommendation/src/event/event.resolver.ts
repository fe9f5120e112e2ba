import { requireUser } from '@serendip/federation';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { forgottenError } from '../privacy/privacy.service';
import { TrackEventInput } from './dto/track-event.input';
import { MAX_EVENTS_PER_BATCH } from './event.service';
import { TrackEventsResult } from './track-events-result.type';

@Resolver()
export class EventResolver {
  @Mutation(() => TrackEventsResult, {
    description: `Records 1 to ${MAX_EVENTS_PER_BATCH} events of the signed-in shopper, all or none. Safe to retry: events already recorded (same clientEventId) count as duplicates.`,
  })
  async trackEvents(@Arg('events', () => [TrackEventInput]) events: TrackEventInput[], @Ctx() ctx: RecommendationContext): Promise<TrackEventsResult> {
    const userId = requireUser(ctx);
    await ctx.privacy.requireNotForgotten(userId);
    const result = await ctx.events.track(userId, events);
    // Forgotten while this batch was written: whichever committed last, nothing of it stays.
    if ((await ctx.privacy.state(userId)).forgotten) {
      await ctx.privacy.forget(userId);
      throw forgottenError();
    }
    return result;
  }
}
