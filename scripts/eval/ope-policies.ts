/**
 * Serendip's serving policies (packages/recsys policy.ts and fusion.ts, the code the slate engine
 * calls) learnt from a logged bandit log and turned into what the off-policy estimators need: the
 * probability that the policy shows each item at each position of its slate.
 */
import {
  createLinUcbState,
  fuseScores,
  policyFromConfig,
  solveLinUcb,
  updateLinUcb,
  type ArmStats,
  type LinUcbState,
  type Policy,
  type PolicyCandidate,
  type PolicyKind,
  type Rng,
  type SlateStep,
} from '../../packages/recsys/src';

/** One logged impression: an item shown at a 1-based position, clicked or not. */
export interface Impression {
  item: number;
  position: number;
  click: number;
}

/** An item's context: numeric features as they are, categorical ones one-hot encoded. */
export interface ItemContext {
  item: number;
  numeric: readonly number[];
  categorical: readonly string[];
}

export type ServingPolicyName = PolicyKind | 'fusion';

export interface PolicySetting {
  kind: PolicyKind;
  /** The policy's exploration strength in [0, 1], as a slot configures it. */
  exploration: number;
}

export interface ServingPolicy {
  name: ServingPolicyName;
  setting: PolicySetting;
  policy: Policy;
  candidates: PolicyCandidate[];
  stats: ReadonlyMap<string, ArmStats>;
}

/**
 * The fused sources and their weights, after the engine's closest ones: `context` is a content
 * affinity as `interest` is (weight 1), `popularity` a click rate as `trending` is (weight 0.4).
 */
export const FUSION_WEIGHTS = { context: 1, popularity: 0.4 } as const;
/** Pseudo-impressions at the base rate behind an item's popularity: a light smoothing of a few thousand impressions over 34–46 items. */
export const POPULARITY_PRIOR = 10;

/** [1, numeric…, one-hot of each categorical column over the categories the items have], per item. */
export function encodeItemFeatures(items: readonly ItemContext[]): Map<number, number[]> {
  const columns = items[0]?.categorical.length ?? 0;
  const categories = Array.from({ length: columns }, (_, column) => [...new Set(items.map((item) => item.categorical[column]!))].sort());
  return new Map(
    items.map((item) => [
      item.item,
      [1, ...item.numeric, ...categories.flatMap((values, column) => values.map((value) => (item.categorical[column] === value ? 1 : 0)))],
    ]),
  );
}

/** LinUCB's ridge statistics after every impression, as the serving bandit state adds them. */
export function learnLinUcb(log: readonly Impression[], features: ReadonlyMap<number, readonly number[]>, prior?: readonly number[]): LinUcbState {
  const dimension = features.values().next().value?.length ?? 0;
  const state = createLinUcbState(dimension, 1, prior);
  for (const row of log) updateLinUcb(state, featuresOf(features, row.item), row.click);
  return state;
}

function featuresOf(features: ReadonlyMap<number, readonly number[]>, item: number): readonly number[] {
  const x = features.get(item);
  if (!x) throw new Error(`item ${item} is logged but has no context`);
  return x;
}

/**
 * The four serving policies learnt from `log`, every item a candidate:
 * - thompson, epsilon-greedy: per-item click statistics, exploit score = the log's click rate
 *   (so the prior says only "an item clicks at the base rate");
 * - linucb: LinUCB on the item context features (`encodeItemFeatures`), θ learnt from every impression;
 * - fusion: the engine's shape. `fuseScores` over the items' popularity (smoothed click rate) and
 *   context affinity (the learnt LinUCB's θᵀx), features [1, fused, context, popularity] with the
 *   engine's prior on the fused score, then the `fusion` setting's policy with the click statistics.
 */
export function learnPolicies(
  log: readonly Impression[],
  items: readonly ItemContext[],
  settings: Readonly<Record<ServingPolicyName, PolicySetting>>,
): ServingPolicy[] {
  const stats = new Map<string, ArmStats>(items.map((item) => [String(item.item), { impressions: 0, clicks: 0 }]));
  for (const row of log) {
    const arm = stats.get(String(row.item));
    if (!arm) throw new Error(`item ${row.item} is logged but has no context`);
    arm.impressions += 1;
    arm.clicks += row.click;
  }
  const baseRate = log.length > 0 ? log.reduce((sum, row) => sum + row.click, 0) / log.length : 0;
  const contextFeatures = encodeItemFeatures(items);
  const contextState = learnLinUcb(log, contextFeatures);
  const plain = items.map((item) => ({ id: String(item.item), score: baseRate, features: contextFeatures.get(item.item)! }));

  const { theta } = solveLinUcb(contextState);
  const affinity = (item: number) => contextFeatures.get(item)!.reduce((sum, x, i) => sum + x * theta[i]!, 0);
  const popularity = (item: number) => {
    const arm = stats.get(String(item))!;
    return (arm.clicks + POPULARITY_PRIOR * baseRate) / (arm.impressions + POPULARITY_PRIOR);
  };
  const fused = fuseScores(
    {
      context: items.map((item) => ({ id: String(item.item), score: affinity(item.item) })),
      popularity: items.map((item) => ({ id: String(item.item), score: popularity(item.item) })),
    },
    FUSION_WEIGHTS,
  );
  const fusedFeatures = new Map(
    fused.map((candidate) => [Number(candidate.id), [1, candidate.score, candidate.sources.context ?? 0, candidate.sources.popularity ?? 0]]),
  );
  const fusedCandidates = fused.map((candidate) => ({ id: candidate.id, score: candidate.score, features: fusedFeatures.get(Number(candidate.id))! }));
  const fusedState = learnLinUcb(log, fusedFeatures, [0, 1, 0, 0]);

  const make = (name: ServingPolicyName, candidates: PolicyCandidate[], linUcbState: LinUcbState): ServingPolicy => {
    const setting = settings[name];
    return { name, setting, policy: policyFromConfig({ kind: setting.kind, explorationStrength: setting.exploration, linUcbState }), candidates, stats };
  };
  return [
    make('thompson', plain, contextState),
    make('linucb', plain, contextState),
    make('epsilon-greedy', plain, contextState),
    make('fusion', fusedCandidates, fusedState),
  ];
}

export interface MarginalOptions {
  stats?: ReadonlyMap<string, ArmStats>;
  diversity?: number;
  rng: Rng;
  /** Slates drawn. */
  slates: number;
}

/**
 * P(candidate at rank r), for r < size, from the serving `chooseSlate` itself. A slate's later
 * positions depend on what filled the earlier ones, and the policy reports only that conditional
 * distribution, so the marginal is its average over slates the policy draws (a Rao–Blackwellised
 * Monte Carlo: unbiased, every candidate the policy could serve keeps a positive share, and a
 * deterministic position is exact). Rows are indexed like `candidates` and each sums to 1
 * (Thompson's on average: its distribution's entries are separate Monte Carlo estimates).
 */
export function slateMarginals(policy: Policy, candidates: readonly PolicyCandidate[], size: number, options: MarginalOptions): Float64Array[] {
  if (!Number.isInteger(options.slates) || options.slates < 1) throw new Error(`slates must be an integer >= 1, got ${options.slates}`);
  const indexOf = new Map(candidates.map((candidate, i) => [candidate.id, i]));
  const marginals = Array.from({ length: Math.min(size, candidates.length) }, () => new Float64Array(candidates.length));
  const ctx = {
    rng: options.rng,
    ...(options.stats && { stats: options.stats }),
    ...(options.diversity !== undefined && { diversity: options.diversity }),
    trace: (step: SlateStep) => {
      const row = marginals[step.rank]!;
      step.remaining.forEach((candidate, i) => {
        const index = indexOf.get(candidate.id)!;
        row[index] = row[index]! + step.distribution[i]!;
      });
    },
  };
  for (let s = 0; s < options.slates; s++) policy.chooseSlate(candidates, size, ctx);
  for (const row of marginals) for (let i = 0; i < row.length; i++) row[i] = row[i]! / options.slates;
  return marginals;
}
