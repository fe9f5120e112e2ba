import { BanditPolicy } from '../experiments/experiment.enums';
import type { ServedArm } from '../experiments/experiment.service';
import { policySettings } from './policy-chooser';
import { DEFAULT_DIVERSITY } from './slot-policies';

describe('policySettings', () => {
  it("serves the slot's policy with the default diversity outside experiments", () => {
    expect(policySettings(null, { kind: 'thompson', exploration: 0.3 })).toEqual({ kind: 'thompson', exploration: 0.3, diversity: DEFAULT_DIVERSITY });
  });

  it("serves an enrolled shopper their arm's policy, exploration and diversity", () => {
    const served: ServedArm = {
      experimentId: 'e',
      experimentName: 'test',
      propensity: 0.5,
      arm: { index: 1, name: 'b', policy: BanditPolicy.LINUCB, exploration: 0.1, diversity: 0.4, share: 0.5, sequenceModelVersion: null },
    };
    expect(policySettings(served, { kind: 'thompson', exploration: 0.3 })).toEqual({ kind: 'linucb', exploration: 0.1, diversity: 0.4 });
  });
});
