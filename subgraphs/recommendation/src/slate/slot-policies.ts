import type { PolicyKind } from '@serendip/recsys';
import { RecommendationSlot } from './slot';

export interface SlotPolicy {
  kind: PolicyKind;
  /** 0 = pure exploitation, 1 = the most exploration the policy allows. */
  exploration: number;
}

/** MMR λ of every slate outside an experiment: 1 would ignore diversity; 0.8 trades a little score for visibly different items. */
export const DEFAULT_DIVERSITY = 0.8;

export type SlotPolicies = Record<RecommendationSlot, SlotPolicy>;

export const DEFAULT_SLOT_POLICIES = 'HOME=thompson:0.15,PRODUCT=linucb:0.1,CART=epsilon-greedy:0.05';

const KINDS: readonly PolicyKind[] = ['thompson', 'linucb', 'epsilon-greedy'];

/** Parses `HOME=thompson:0.3,PRODUCT=linucb:0.2,…`; a slot left out keeps its default. */
export function parseSlotPolicies(value: string): SlotPolicies {
  const policies = Object.fromEntries(
    DEFAULT_SLOT_POLICIES.split(',').map((pair) => {
      const [slot, spec] = pair.split('=') as [RecommendationSlot, string];
      const [kind, exploration] = spec.split(':') as [PolicyKind, string];
      return [slot, { kind, exploration: Number(exploration) }];
    }),
  ) as SlotPolicies;
  const problems: string[] = [];
  for (const pair of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(\w+)=([\w-]+):([0-9.]+)$/.exec(pair);
    const slot = match?.[1] as RecommendationSlot | undefined;
    const kind = match?.[2] as PolicyKind | undefined;
    const exploration = Number(match?.[3]);
    if (!slot || !(slot in RecommendationSlot) || !kind || !KINDS.includes(kind) || !(exploration >= 0 && exploration <= 1)) {
      problems.push(`"${pair}" is not <${Object.values(RecommendationSlot).join('|')}>=<${KINDS.join('|')}>:<0..1>`);
      continue;
    }
    policies[slot] = { kind, exploration };
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return policies;
}
