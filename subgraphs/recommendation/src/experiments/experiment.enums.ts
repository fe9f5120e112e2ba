import { ExperimentAllocation, ExperimentMetric, Guardrail } from '@serendip/recsys';
import { registerEnumType } from 'type-graphql';

// The results maths (in @serendip/recsys) names allocations, metrics and guardrails; they are
// registered here, under the same names, as the GraphQL enums.
export { ExperimentAllocation, ExperimentMetric, Guardrail };

export enum ExperimentStatus {
  DRAFT = 'DRAFT',
  RUNNING = 'RUNNING',
  STOPPED = 'STOPPED',
}

registerEnumType(ExperimentStatus, {
  name: 'ExperimentStatus',
  valuesConfig: {
    DRAFT: { description: 'Defined; serves nobody yet.' },
    RUNNING: { description: 'Enrols shoppers and serves its arms.' },
    STOPPED: { description: 'Over for good; its results stay readable.' },
  },
});
registerEnumType(ExperimentAllocation, {
  name: 'ExperimentAllocation',
  valuesConfig: {
    FIXED: { description: "New shoppers are split by the arms' traffic shares." },
    ADAPTIVE: {
      description:
        'New shoppers go to each arm with its Thompson-sampling probability of being best on the primary metric (every arm keeps a floor share); each assignment logs its probability, and results are weighted by it.',
    },
  },
});
registerEnumType(ExperimentMetric, {
  name: 'ExperimentMetric',
  valuesConfig: {
    CTR: { description: 'Clicks per item shown.' },
    CONVERSION: { description: 'Share of exposed shoppers with a purchase from a slate of the experiment.' },
    REVENUE_PER_SHOPPER: { description: 'Value of purchases from slates of the experiment per exposed shopper.' },
  },
});
registerEnumType(Guardrail, {
  name: 'Guardrail',
  valuesConfig: {
    DIVERSITY: { description: 'Mean intra-list diversity of slates (1 − mean pairwise cosine similarity of their products).' },
    COVERAGE: { description: 'Share of the indexed catalogue shown, over the same number of latest slates per arm.' },
  },
});

/** The serving policies an arm can run, as in RECOMMENDATION_POLICIES. */
export enum BanditPolicy {
  THOMPSON = 'thompson',
  LINUCB = 'linucb',
  EPSILON_GREEDY = 'epsilon-greedy',
}

registerEnumType(BanditPolicy, { name: 'BanditPolicy', description: 'A slate policy: how it trades exploiting the ranking for exploring.' });
