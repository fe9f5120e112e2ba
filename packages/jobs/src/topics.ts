/**
 * Prefix of every pub/sub channel name. Like the queue prefix, it lets several stacks (tests,
 * demos) share one Redis: publishers and subscribers of one stack must agree on it.
 */
export const DEFAULT_PUBSUB_PREFIX = 'serendip';

/**
 * Redis pub/sub topics. Topic names carry the user id so a subscriber listens to one shopper's
 * channel instead of filtering a firehose. A message is only a notice that the shopper's state
 * changed: subscribers read the state afresh and ignore the message body (an empty one will do),
 * so a notice lost to pub/sub's at-most-once delivery is made good by the next one.
 */
export const Topic = {
  recommendationsUpdated: (userId: string, prefix: string = DEFAULT_PUBSUB_PREFIX): string => `${prefix}:recommendations.updated.${userId}`,
} as const;
