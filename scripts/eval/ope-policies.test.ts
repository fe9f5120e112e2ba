import { policyFromConfig, seededRng, type PolicyCandidate } from '../../packages/recsys/src';
import { encodeItemFeatures, learnPolicies, slateMarginals, type Impression, type ItemContext } from './ope-policies';

const candidates = (scores: readonly number[]): PolicyCandidate[] => scores.map((score, i) => ({ id: String(i), score, features: [1] }));

describe('slateMarginals', () => {
  it('gives a greedy policy probability 1 for its own order, position by position', () => {
    const policy = policyFromConfig({ kind: 'epsilon-greedy', explorationStrength: 0 });
    const marginals = slateMarginals(policy, candidates([0.1, 0.9, 0.5, 0.7]), 3, { rng: seededRng(1), slates: 5 });
    expect(marginals.map((row) => Array.from(row))).toEqual([
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
  });

  it('makes Thompson sampling without exploration the fused ranking', () => {
    const policy = policyFromConfig({ kind: 'thompson', explorationStrength: 0 });
    const marginals = slateMarginals(policy, candidates([0.2, 0.4, 0.3]), 2, { rng: seededRng(2), slates: 3 });
    expect(marginals.map((row) => Array.from(row))).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('sums to 1 at every position, and no item is in a slate with probability above 1', () => {
    const stats = new Map([
      ['0', { impressions: 100, clicks: 5 }],
      ['2', { impressions: 50, clicks: 1 }],
    ]);
    // ε-greedy's distributions are exact; Thompson's entries are separate unbiased estimates whose
    // sum is 1 on average: 200 slates' mean is within about 0.005 of it.
    for (const [kind, tolerance] of [
      ['thompson', 0.03],
      ['epsilon-greedy', 1e-12],
    ] as const) {
      const policy = policyFromConfig({ kind, explorationStrength: 0.5 });
      const marginals = slateMarginals(policy, candidates([0.02, 0.05, 0.01, 0.03, 0.04]), 3, { rng: seededRng(3), stats, slates: 200 });
      expect(marginals).toHaveLength(3);
      for (const row of marginals) expect(Math.abs(row.reduce((sum, p) => sum + p, 0) - 1)).toBeLessThan(tolerance);
      // A row past the first averages the policy's distribution over 200 drawn slates, so an item's
      // sum over positions is at most 1 in expectation only (the largest sum varies by about 0.025
      // from seed to seed for both policies here): 0.05 allows two of that.
      for (let i = 0; i < 5; i++) expect(marginals.reduce((sum, row) => sum + row[i]!, 0)).toBeLessThanOrEqual(1.05);
    }
  });

  it('matches ε-greedy in closed form: exactly at the first position, within Monte Carlo error after it', () => {
    // ε = 0.5 over 4 items, best 1 then 3: P(1 first) = 1 − ε + ε/4; P(3 second) = P(1 first)·(1 − ε + ε/3) + P(0 or 2 first)·ε/3.
    const policy = policyFromConfig({ kind: 'epsilon-greedy', explorationStrength: 1 });
    const [first, second] = slateMarginals(policy, candidates([0.1, 0.9, 0.5, 0.7]), 2, { rng: seededRng(4), slates: 4000 });
    expect(first![1]).toBeCloseTo(0.625, 12);
    expect(first![0]).toBeCloseTo(0.125, 12);
    expect(Math.abs(second![3]! - (0.625 * (0.5 + 0.5 / 3) + 0.25 * (0.5 / 3)))).toBeLessThan(0.02);
    expect(Math.abs(second![1]! - 0.375 * (0.5 + 0.5 / 3))).toBeLessThan(0.02);
  });

  it('refuses a slate count that is not a positive integer', () => {
    const policy = policyFromConfig({ kind: 'epsilon-greedy', explorationStrength: 0 });
    expect(() => slateMarginals(policy, candidates([0.5]), 1, { rng: seededRng(5), slates: 0 })).toThrow(/slates/);
  });
});

describe('encodeItemFeatures', () => {
  it('is [1, numeric…, one-hot of each categorical column in sorted category order]', () => {
    const features = encodeItemFeatures([
      { item: 7, numeric: [0.5], categorical: ['b', 'x'] },
      { item: 8, numeric: [-1], categorical: ['a', 'x'] },
    ]);
    expect(features.get(7)).toEqual([1, 0.5, 0, 1, 1]);
    expect(features.get(8)).toEqual([1, -1, 1, 0, 1]);
  });
});

describe('learnPolicies', () => {
  const items: ItemContext[] = [0, 1, 2, 3].map((item) => ({ item, numeric: [0], categorical: [item < 2 ? 'shoes' : 'hats'] }));
  // Shoes are clicked, hats (items 2 and 3) never: item 1 three impressions in four, item 0 one in four.
  const log: Impression[] = [];
  for (let round = 0; round < 400; round++) {
    const item = round % 4;
    log.push({ item, position: 1 + (round % 3), click: item === 1 ? Number(round % 8 === 1 || round % 16 === 5) : item === 0 ? Number(round % 16 === 0) : 0 });
  }
  const greedy = { kind: 'epsilon-greedy', exploration: 0 } as const;
  const settings = {
    thompson: { kind: 'thompson', exploration: 0.3 },
    linucb: { kind: 'linucb', exploration: 0 },
    'epsilon-greedy': greedy,
    fusion: greedy,
  } as const;
  const policies = learnPolicies(log, items, settings);
  const byName = new Map(policies.map((serving) => [serving.name, serving]));
  const firstChoice = (name: 'linucb' | 'epsilon-greedy' | 'fusion') => {
    const serving = byName.get(name)!;
    const [first] = slateMarginals(serving.policy, serving.candidates, 1, { rng: seededRng(6), stats: serving.stats, slates: 1 });
    return serving.candidates[first!.indexOf(1)]!.id;
  };

  it('counts every logged impression and click into the arm statistics', () => {
    const stats = byName.get('thompson')!.stats;
    expect(stats.get('1')).toEqual({ impressions: 100, clicks: log.filter((row) => row.item === 1).reduce((sum, row) => sum + row.click, 0) });
    expect(stats.get('3')).toEqual({ impressions: 100, clicks: 0 });
  });

  it('serves the most clicked item first when exploiting, by click rate, by item context and fused', () => {
    expect(firstChoice('epsilon-greedy')).toBe('1');
    expect(['0', '1']).toContain(firstChoice('linucb'));
    expect(firstChoice('fusion')).toBe('1');
  });

  it('fuses context affinity and popularity into scores in [0, 1], best first', () => {
    const scores = byName.get('fusion')!.candidates.map((candidate) => candidate.score);
    expect(scores[0]).toBe(1);
    for (const score of scores) expect(score).toBeGreaterThanOrEqual(0);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('refuses a logged item without context', () => {
    expect(() => learnPolicies([{ item: 9, position: 1, click: 0 }], items, settings)).toThrow(/item 9/);
  });
});
