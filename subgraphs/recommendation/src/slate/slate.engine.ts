import { randomUUID } from 'node:crypto';
import type { Rng } from '@serendip/recsys';
import type { Served } from '@serendip/sequence';
import type { BanditState } from '../bandit/bandit.state';
import type { InnerProductIndex, ProductIndex } from '@serendip/vectors';
import type { CooccurrenceStore } from '../cooccurrence/cooccurrence.store';
import type { PopularityStore } from '../popularity/popularity.store';
import type { TransitionStore } from '../transitions/transition.store';
import { CandidateGatherer } from './candidate-gatherer';
import { PolicyChooser, type PolicyChooserOptions } from './policy-chooser';
import { fuseCandidates, policyCandidates } from './policy-candidates';
import type { ShopperSignals } from './shopper-signals';
import type { SlateLogStore } from './slate-log.store';
import { explainChoice, interestKeywords } from './slate-reasons';
import type { SlateRequest, SlateSource } from './slate-source';
import { toRecommendationSlate } from './slate.mapper';
import type { RecommendationSlate } from './slate.type';
import type { SlotPolicies } from './slot-policies';
import { timeStep, type SlateStepObserver } from './slate-steps';

export interface SlateEngineOptions {
  /** The privacy gate and the shopper's events, profile and segment (ShopperSignalStore). */
  signals: { read(userId: string): Promise<ShopperSignals> };
  /** The current product index (a model upgrade swaps in a new one, so it is read at each use). */
  index: () => ProductIndex;
  /**
   * A sequence model version's item index: the given one (an experiment arm's), else the serving
   * one (a retrain swaps in a new one, so it is read at each use); null when it is not loaded.
   */
  sequence?: (version: string | null) => Served<InnerProductIndex> | null;
  cooccurrence: CooccurrenceStore;
  transitions: TransitionStore;
  popularity: PopularityStore;
  slateLog: SlateLogStore;
  bandit: BanditState;
  policies: SlotPolicies;
  /** A factor per product applied to its fused score (review quality); 1 for all when absent. */
  quality?: (productId: string) => number;
  experiments?: PolicyChooserOptions['experiments'];
  rng?: Rng;
  /** Told how long each step of each slate took (`serendip_slate_step_seconds`). */
  onStep?: SlateStepObserver;
  /** How long shared candidate lists, and each shopper's interest candidates, are kept (SLATE_CACHE_MS). @default 0 */
  cacheMs?: number;
}

/**
 * Serves the explore/exploit slates, in named steps: the privacy gate (ShopperSignalStore), candidates
 * from the shopper's interests, co-occurrence, transitions, the sequence model, trending and fresh products (CandidateGatherer),
 * one exploit score scaled by review quality (fuseCandidates) and the policy's context features
 * (policyCandidates), a bandit policy per slot or experiment arm that explores on purpose with MMR
 * diversity (PolicyChooser), a reason per item (explainChoice), the slate logged with each item's
 * propensity before it is returned (SlateLogStore), then the GraphQL shape (toRecommendationSlate).
 */
export class SlateEngine implements SlateSource {
  private readonly candidates: CandidateGatherer;
  private readonly chooser: PolicyChooser;

  constructor(private readonly options: SlateEngineOptions) {
    this.candidates = new CandidateGatherer(options.cooccurrence, options.transitions, options.popularity, options.cacheMs ?? 0);
    this.chooser = new PolicyChooser({ ...options, rng: options.rng ?? Math.random });
  }

  async slate({ userId, slot, first, excludeIds = [] }: SlateRequest): Promise<RecommendationSlate> {
    const { bandit, slateLog, quality, onStep } = this.options;
    const index = this.options.index();
    const signals = await timeStep(onStep, 'signals', () => this.options.signals.read(userId));
    const arm = await timeStep(onStep, 'arm', () => this.chooser.arm({ userId, slot, segment: signals.segment, personalisation: signals.personalisation }));
    const { sources, sequenceVersion } = await this.candidates.gather({
      index,
      events: signals.events,
      profile: signals.profile,
      sequence: this.options.sequence?.(arm?.arm.sequenceModelVersion ?? null) ?? null,
      excludeIds,
      ...(onStep ? { onStep } : {}),
    });
    const { fused, candidates } = await timeStep(onStep, 'fusion', () => {
      const scored = fuseCandidates(sources, quality);
      return { fused: scored, candidates: policyCandidates(scored, (productId) => index.vectorOf(productId), signals.segment) };
    });
    const { policy, exploration, served, chosen } = await timeStep(onStep, 'policy', () => this.chooser.choose({ slot, served: arm, candidates, first }));
    const items = await timeStep(onStep, 'reasons', () => explainChoice(chosen, fused, interestKeywords(signals.profile)));

    const features = new Map(candidates.map((candidate) => [candidate.id, candidate.features]));
    const recommendationId = randomUUID();
    const generatedAt = new Date();
    await timeStep(onStep, 'log', () =>
      slateLog.insert(
        {
          id: recommendationId,
          userId,
          slot,
          policy: policy.name,
          policyVersion: policy.version,
          exploration,
          createdAt: generatedAt,
          experimentId: served?.experimentId ?? null,
          experimentArm: served?.arm.index ?? null,
          armPropensity: served?.propensity ?? null,
          sequenceModelVersion: sequenceVersion,
        },
        items.map((item) => ({ ...item, features: features.get(item.productId)! })),
      ),
    );
    await timeStep(onStep, 'bandit', () =>
      bandit.served(
        slot,
        items.map((item) => ({ productId: item.productId, features: features.get(item.productId)! })),
      ),
    );
    return timeStep(onStep, 'mapping', () =>
      toRecommendationSlate({
        recommendationId,
        slot,
        policy,
        generatedAt,
        served,
        items,
        sequenceModelVersion: sequenceVersion,
        personalised: signals.personalisation,
      }),
    );
  }
}
