import type { ServedArm } from '../experiments/experiment.service';
import type { ExplainedItem } from './slate-reasons';
import type { RecommendationSlate } from './slate.type';
import type { RecommendationSlot } from './slot';

/** The logged slate as the GraphQL RecommendationSlate, each item carrying the id to credit it with. */
export function toRecommendationSlate(slate: {
  recommendationId: string;
  slot: RecommendationSlot;
  policy: { name: string; version: string };
  generatedAt: Date;
  served: ServedArm | null;
  items: readonly ExplainedItem[];
  sequenceModelVersion: string | null;
  personalised: boolean;
}): RecommendationSlate {
  const { recommendationId, served } = slate;
  return {
    recommendationId,
    slot: slate.slot,
    policy: `${slate.policy.name}@${slate.policy.version}`,
    generatedAt: slate.generatedAt,
    experiment: served ? { id: served.experimentId, name: served.experimentName, arm: served.arm.name } : null,
    sequenceModelVersion: slate.sequenceModelVersion,
    personalised: slate.personalised,
    items: slate.items.map((item) => ({
      product: { id: item.productId },
      score: item.score,
      source: item.source,
      reason: item.reason,
      rank: item.rank,
      explored: item.explored,
      recommendationId,
    })),
  };
}
