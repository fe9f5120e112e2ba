import { requireUser } from '@serendip/federation';
import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RecommendationContext } from '../context';
import { RecommendationSlate } from '../slate/slate.type';
import { RecommendationSlot } from '../slate/slot';
import { LIVE_SLATE_SIZE, type SlateEvent } from './live-slates';

interface RecommendationsUpdatedArgs {
  slot: RecommendationSlot | null;
}

@Resolver()
export class RecommendationSubscriptionResolver {
  @Subscription(() => RecommendationSlate, {
    description:
      `The signed-in shopper's slate for a slot (${LIVE_SLATE_SIZE} products): the current one at once, then a fresh one ` +
      'whenever their recommendations change. Each event is the whole slate, so a client that reconnects is up to date with the first.',
    subscribe: ({ args, context }: SubscribeResolverData<unknown, RecommendationsUpdatedArgs, RecommendationContext>) =>
      context.liveSlates.updates(requireUser(context), args.slot ?? RecommendationSlot.HOME),
  })
  recommendationsUpdated(
    @Root() event: SlateEvent,
    // Read by `subscribe`; declared here for the schema.
    @Arg('slot', () => RecommendationSlot, { nullable: true, defaultValue: RecommendationSlot.HOME }) _slot: RecommendationSlot | null,
  ): RecommendationSlate {
    if ('error' in event) throw event.error;
    return event.slate;
  }
}
