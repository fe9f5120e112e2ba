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

/** Who a slate is for, as the experiment enrolment reads it. */
export interface ArmRequest {
  userId: string;
  slot: RecommendationSlot;
  segment: number | null;
  personalisation: boolean;
}

export interface PolicyChoiceRequest {
  slot: RecommendationSlot;
  /** The shopper's experiment arm (PolicyChooser.arm); null outside experiments. */
  served: ServedArm | null;
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
 * propensity and whether it was explored. The arm is read first (`arm`), since it also decides
 * which sequence model version's candidates the slate is chosen from.
 */
export class PolicyChooser {
  constructor(private readonly options: PolicyChooserOptions) {}

  /** The shopper's arm in the slot's running experiment; null outside one. */
  async arm({ userId, slot, segment, personalisation }: ArmRequest): Promise<ServedArm | null> {
    const { experiments } = this.options;
    // Only consenting shoppers take part in experiments: enrolment is a record about them.
    return personalisation && experiments ? experiments.armFor(userId, slot, segment) : null;
  }

  async choose({ slot, served, candidates, first }: PolicyChoiceRequest): Promise<PolicyChoice> {
    const { bandit, policies, rng } = this.options;
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
