import { policyFromConfig, type Policy, type PolicyCandidate, type PolicyKind, type Rng, type SlateItem } from '@serendip/recsys';
import type { BanditState } from '../bandit/bandit.state';
import type { ServedArm } from '../experiments/experiment.service';
import type { RecommendationSlot } from './slot';
import { DEFAULT_DIVERSITY, type SlotPolicy, type SlotPolicies } from './slot-policies';

/** How a slate is chosen: the policy, its exploration strength and its MMR λ. */
export interface PolicySettings {
  kind: PolicyKind;
  exploration: number;
  diversity: number;
}

/** The policy that chose a slate and what it chose, with the experiment arm behind it if any. */
export interface PolicyChoice {
  policy: Policy;
  exploration: number;
  served: ServedArm | null;
  chosen: SlateItem[];
}

export interface PolicyChoiceRequest {
  userId: string;
  slot: RecommendationSlot;
  segment: number | null;
  personalisation: boolean;
  candidates: readonly PolicyCandidate[];
  first: number;
}

export interface PolicyChooserOptions {
  bandit: BanditState;
  policies: SlotPolicies;
  /** A/B experiments: a running one on the slot decides the policy of an enrolled shopper's slates. */
  experiments?: { armFor(userId: string, slot: RecommendationSlot, segment: number | null): Promise<ServedArm | null> };
  rng: Rng;
}

/** The experiment arm's settings for an enrolled shopper; otherwise the slot's, with the default diversity. */
export function policySettings(served: ServedArm | null, slotPolicy: SlotPolicy): PolicySettings {
  return served
    ? { kind: served.arm.policy, exploration: served.arm.exploration, diversity: served.arm.diversity }
    : { ...slotPolicy, diversity: DEFAULT_DIVERSITY };
}

/**
 * Explore/exploit: picks the slot's bandit policy (or the shopper's experiment arm) and lets it
 * choose the slate from the candidates with the slot's learned state, logging each item's
 * propensity and whether it was explored.
 */
export class PolicyChooser {
  constructor(private readonly options: PolicyChooserOptions) {}

  async choose({ userId, slot, segment, personalisation, candidates, first }: PolicyChoiceRequest): Promise<PolicyChoice> {
    const { bandit, policies, experiments, rng } = this.options;
    // Only consenting shoppers take part in experiments: enrolment is a record about them.
    const served = personalisation && experiments ? await experiments.armFor(userId, slot, segment) : null;
    const settings = policySettings(served, policies[slot]);
    const policy = policyFromConfig({ kind: settings.kind, explorationStrength: settings.exploration, linUcbState: bandit.linUcbState(slot) });
    const stats = await bandit.armStats(
      slot,
      candidates.map((candidate) => candidate.id),
    );
    const chosen = policy.chooseSlate(candidates, Math.min(first, candidates.length), { rng, stats, diversity: settings.diversity });
    return { policy, exploration: settings.exploration, served, chosen };
  }
}
