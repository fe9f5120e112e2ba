/**
 * Redis pub/sub topics. Topic names carry the user id so a subscriber listens to one shopper's
 * channel instead of filtering a firehose.
 */
export const Topic = {
  recommendationsUpdated: (userId: string): string => `recommendations.updated.${userId}`,
} as const;
