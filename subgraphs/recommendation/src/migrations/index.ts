import { CreateBehaviourEvent1764374400000 } from './1764374400000-create-behaviour-event';
import { CreatePersonalisation1764547200000 } from './1764547200000-create-personalisation';
import { PrivacyBudget1764892800000 } from './1764892800000-privacy-budget';
import { ShopperPrivacy1764892800100 } from './1764892800100-shopper-privacy';
import { InterestSuppression1764892800300 } from './1764892800300-interest-suppression';
import { ShopperSegments1764892800400 } from './1764892800400-shopper-segments';
import { Experiments1764979200000 } from './1764979200000-experiments';
import { ProductTransitions1765065600000 } from './1765065600000-product-transitions';
import { SequenceModels1765152000000 } from './1765152000000-sequence-models';
import { SequenceQueries1765238400000 } from './1765238400000-sequence-queries';
import { PrivacyBudgetDelta1765324800000 } from './1765324800000-privacy-budget-delta';
import { PoisoningDefences1765411200000 } from './1765411200000-poisoning-defences';
import { InterestUpdateRequests1765497600000 } from './1765497600000-interest-update-requests';
import { OutboxQueuedRuns1765584000000 } from './1765584000000-outbox-queued-runs';

export const migrations = [
  CreateBehaviourEvent1764374400000,
  CreatePersonalisation1764547200000,
  PrivacyBudget1764892800000,
  ShopperPrivacy1764892800100,
  InterestSuppression1764892800300,
  ShopperSegments1764892800400,
  Experiments1764979200000,
  ProductTransitions1765065600000,
  SequenceModels1765152000000,
  SequenceQueries1765238400000,
  PrivacyBudgetDelta1765324800000,
  PoisoningDefences1765411200000,
  InterestUpdateRequests1765497600000,
  OutboxQueuedRuns1765584000000,
];
