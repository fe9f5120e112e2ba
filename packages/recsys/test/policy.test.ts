import {
  addOuterProduct,
  CALIBRATION_PRIOR_EXPOSURE,
  createLinUcbState,
  DEFAULT_CLICKS_PER_SCORE,
  epsilonGreedy,
  linUcb,
  mmrRerank,
  policyFromConfig,
  RecsysError,
  sampleBeta,
  seededRng,
  segmentContext,
  solveLinUcb,
  thompsonSampling,
  updateLinUcb,
  type ArmStats,
  type LinUcbState,
  type Policy,
  type PolicyCandidate,
  type PolicyContext,
  type Rng,
  type SlateStep,
} from '../src';
import { around, randomUnit } from './helpers';

const FEATURES = 4;

/** Features are [1, fused score, two context values], as a caller would build them. */
function candidateSet(seed: number, n: number): PolicyCandidate[] {
  const rng = seededRng(seed);
  const centers = [randomUnit(rng, 8), randomUnit(rng, 8), randomUnit(rng, 8)];
  return Array.from({ length: n }, (_, i) => {
    const score = rng();
    return {
      id: `item-${seed}-${i}`,
      score,
      features: [1, score, rng() * 2 - 1, rng() * 2 - 1],
      // Every fifth item has no embedding, which MMR must tolerate.
      ...(i % 5 === 4 ? {} : { vector: around(rng, centers[i % 3]!, 0.5) }),
    };
  });
}

/** A model that has seen nothing yet but trusts the fused score (feature 1). */
const followsScore = () => createLinUcbState(FEATURES, 1, [0, 1, 0, 0]);

function trainedState(seed: number): LinUcbState {
  const rng = seededRng(seed);
  const state = createLinUcbState(FEATURES);
  for (let i = 0; i < 200; i++) {
    const x = [1, rng(), rng() * 2 - 1, rng() * 2 - 1];
    updateLinUcb(state, x, rng() < 0.1 + 0.3 * x[1]! + 0.2 * Math.max(0, x[2]!) ? 1 : 0);
  }
  return state;
}

function statsFor(candidates: readonly PolicyCandidate[], rng: Rng): Map<string, ArmStats> {
  return new Map(
    candidates.map((candidate) => {
      const impressions = Math.floor(rng() * 50);
      return [candidate.id, { impressions, clicks: Math.floor(rng() * (impressions + 1) * 0.3) }];
    }),
  );
}

/**
 * Each policy with how far its distribution's sum may be from 1: closed forms are exact; Thompson's
 * entries are separate Monte Carlo estimates, each unbiased, so their sum is 1 only on average
 * (about ±0.05 at 400 samples and these wide posteriors; the average itself is tested below).
 */
const policies: [string, () => Policy, number][] = [
  ['epsilon-greedy', () => epsilonGreedy({ epsilon: 0.3 }), 1e-9],
  ['thompson', () => thompsonSampling({ priorStrength: 4, samples: 400 }), 0.25],
  ['linucb', () => linUcb({ state: trainedState(1), alpha: 1, floor: 0.05 }), 1e-9],
];

/** Runs a slate and returns it with every position's step. */
function traced(policy: Policy, candidates: readonly PolicyCandidate[], size: number, ctx: Omit<PolicyContext, 'trace'>) {
  const steps: SlateStep[] = [];
  const slate = policy.chooseSlate(candidates, size, { ...ctx, trace: (step) => steps.push(step) });
  return { slate, steps };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe.each(policies)('%s', (_name, make, tolerance) => {
  it.each([
    [1, 1, 1],
    [2, 2, 1],
    [7, 5, 0.6],
    [30, 10, 1],
    [30, 10, 0.5],
    [60, 12, 0.8],
  ])('gives a distribution summing to 1 and logs its entry as the propensity (n=%p, size=%p, λ=%p)', (n, size, diversity) => {
    const candidates = candidateSet(n, n);
    const policy = make();
    const rng = seededRng(n * 31 + size);
    const { slate, steps } = traced(policy, candidates, size, { rng, stats: statsFor(candidates, rng), diversity });

    expect(slate).toHaveLength(Math.min(size, n));
    expect(new Set(slate.map((item) => item.id)).size).toBe(slate.length);
    expect(steps).toHaveLength(slate.length);
    steps.forEach((step, rank) => {
      expect(step.distribution).toHaveLength(n - rank);
      expect(Math.abs(sum(step.distribution) - 1)).toBeLessThan(tolerance);
      expect(step.distribution.every((p) => p >= 0 && p <= 1)).toBe(true);
      const item = slate[rank]!;
      expect(step.remaining[step.chosen]!.id).toBe(item.id);
      expect(item.rank).toBe(rank);
      expect(item.propensity).toBe(step.distribution[step.chosen]);
      expect(item.propensity).toBeGreaterThan(0);
      expect(item.explored).toBe(step.chosen !== step.exploit);
    });
  });

  it("gives one remaining item's probability as its distribution entry, the same draws given", () => {
    const candidates = candidateSet(13, 18);
    const policy = make();
    const stats = statsFor(candidates, seededRng(13));
    const remaining = candidates.slice(4);
    const chosen = candidates.slice(0, 4);
    const distribution = policy.distribution(remaining, chosen, { rng: seededRng(3), stats, diversity: 0.7 });
    for (const position of [0, 5, remaining.length - 1]) {
      expect(policy.probability(position, remaining, chosen, { rng: seededRng(3), stats, diversity: 0.7 })).toBe(distribution[position]);
    }
    expect(() => policy.probability(remaining.length, remaining, chosen, { rng: seededRng(3) })).toThrow(RecsysError);
  });

  it('gives a distribution over the remaining candidates, given those already chosen, that sums to 1', () => {
    const candidates = candidateSet(11, 25);
    const policy = make();
    for (const chosenCount of [0, 1, 6]) {
      const ctx = { rng: seededRng(chosenCount), diversity: 0.7 };
      const distribution = policy.distribution(candidates.slice(chosenCount), candidates.slice(0, chosenCount), ctx);
      expect(distribution).toHaveLength(25 - chosenCount);
      expect(Math.abs(sum(distribution) - 1)).toBeLessThan(tolerance);
    }
  });
});

describe.each([
  ['epsilon-greedy', () => epsilonGreedy({ epsilon: 0.25 })],
  ['linucb', () => linUcb({ state: trainedState(2), alpha: 0.8, floor: 0.1 })],
])('%s (closed-form distribution)', (_name, make) => {
  it('logs exactly what distribution() gives for the same remaining and chosen items', () => {
    const candidates = candidateSet(5, 20);
    const policy = make();
    const rng = seededRng(5);
    const stats = statsFor(candidates, rng);
    const { slate, steps } = traced(policy, candidates, 8, { rng, stats, diversity: 0.6 });
    const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
    steps.forEach((step, rank) => {
      const chosen = slate.slice(0, rank).map((item) => byId.get(item.id)!);
      expect(policy.distribution(step.remaining, chosen, { rng: seededRng(0), stats, diversity: 0.6 })).toEqual(step.distribution);
    });
  });
});

describe('exploration strength 0', () => {
  const candidates = candidateSet(3, 15);
  const byScore = [...candidates].sort((a, b) => b.score - a.score).map((candidate) => candidate.id);

  it.each(['epsilon-greedy', 'thompson', 'linucb'] as const)('makes %s serve the fused order with propensity 1', (kind) => {
    // A fresh LinUCB estimates 0 for everything; ties go to the fused score.
    const policy = policyFromConfig({ kind, explorationStrength: 0, linUcbState: createLinUcbState(FEATURES) });
    for (const seed of [1, 2, 3]) {
      const slate = policy.chooseSlate(candidates, 10, { rng: seededRng(seed) });
      expect(slate.map((item) => item.id)).toEqual(byScore.slice(0, 10));
      expect(slate.every((item) => item.propensity === 1 && !item.explored)).toBe(true);
      expect(slate.map((item) => item.score)).toEqual(byScore.slice(0, 10).map((id) => candidates.find((c) => c.id === id)!.score));
    }
  });

  it.each(['epsilon-greedy', 'thompson', 'linucb'] as const)('makes %s serve the MMR order when diversity is on', (kind) => {
    const policy = policyFromConfig({ kind, explorationStrength: 0, linUcbState: followsScore() });
    const slate = policy.chooseSlate(candidates, 8, { rng: seededRng(9), diversity: 0.5 });
    expect(slate.map((item) => item.id)).toEqual(mmrRerank(candidates, 8, 0.5).map((item) => item.id));
    expect(slate.map((item) => item.id)).not.toEqual(byScore.slice(0, 8));
    expect(slate[0]!.score).toBeCloseTo(0.5 * candidates.find((c) => c.id === slate[0]!.id)!.score, 12);
  });

  it('makes a trained linucb serve the order of its estimate θᵀx', () => {
    const state = trainedState(4);
    const { theta } = solveLinUcb(state);
    const estimate = (candidate: PolicyCandidate) => candidate.features.reduce((total, x, i) => total + x * theta[i]!, 0);
    const expected = [...candidates].sort((a, b) => estimate(b) - estimate(a)).map((candidate) => candidate.id);
    const slate = policyFromConfig({ kind: 'linucb', explorationStrength: 0, linUcbState: state }).chooseSlate(candidates, 15, { rng: seededRng(1) });
    expect(slate.map((item) => item.id)).toEqual(expected);
  });

  it('ranks epsilon-greedy by click-through rate blended with the fused score', () => {
    const arms: PolicyCandidate[] = [
      { id: 'a', score: 0.9, features: [] },
      { id: 'b', score: 0.5, features: [] },
    ];
    const stats = new Map([
      ['a', { impressions: 1000, clicks: 10 }],
      ['b', { impressions: 1000, clicks: 300 }],
    ]);
    const policy = policyFromConfig({ kind: 'epsilon-greedy', explorationStrength: 0 });
    expect(policy.chooseSlate(arms, 2, { rng: seededRng(1), stats }).map((item) => item.id)).toEqual(['b', 'a']);
    expect(policy.chooseSlate(arms, 2, { rng: seededRng(1) }).map((item) => item.id)).toEqual(['a', 'b']);
  });
});

describe('epsilonGreedy', () => {
  it('puts 1 − ε + ε/n on the best item and ε/n on each other', () => {
    const candidates = candidateSet(8, 10);
    const best = candidates.reduce((top, candidate) => (candidate.score > top.score ? candidate : top));
    const distribution = epsilonGreedy({ epsilon: 0.2 }).distribution(candidates, [], { rng: seededRng(1) });
    candidates.forEach((candidate, i) => expect(distribution[i]).toBeCloseTo(candidate === best ? 0.8 + 0.02 : 0.02, 12));
  });

  it('explores about ε of the time', () => {
    const candidates = candidateSet(9, 10);
    const policy = epsilonGreedy({ epsilon: 0.4 });
    const rng = seededRng(3);
    let explored = 0;
    for (let i = 0; i < 2000; i++) if (policy.chooseSlate(candidates, 1, { rng })[0]!.explored) explored++;
    // Exploring picks the best item 1 time in 10, which is not flagged: expected share 0.4 · 0.9.
    expect(explored / 2000).toBeGreaterThan(0.32);
    expect(explored / 2000).toBeLessThan(0.4);
  });
});

describe('thompsonSampling', () => {
  it('gives a served item a positive propensity from one Monte Carlo sample', () => {
    const candidates = candidateSet(12, 40);
    const policy = thompsonSampling({ priorStrength: 2, samples: 1 });
    const { slate } = traced(policy, candidates, 10, { rng: seededRng(12) });
    expect(slate.every((item) => item.propensity > 0 && item.propensity <= 1)).toBe(true);
    // A tail probability, not a count: one sample no longer means a propensity of 1/2 or 1.
    expect(slate.some((item) => item.propensity !== 0.5 && item.propensity !== 1)).toBe(true);
  });

  it('logs unbiased propensities: their mean over slates is the chance of being served, unlike a count plus the served draw', () => {
    // Two arms with fixed posteriors; an independent 200k-draw estimate of P(a's draw beats b's).
    const arms: PolicyCandidate[] = [
      { id: 'a', score: 0.5, features: [] },
      { id: 'b', score: 0.5, features: [] },
    ];
    const stats = new Map([
      ['a', { impressions: 30, clicks: 6 }],
      ['b', { impressions: 30, clicks: 3 }],
    ]);
    const m = (0.5 * (CALIBRATION_PRIOR_EXPOSURE * DEFAULT_CLICKS_PER_SCORE + 9)) / (CALIBRATION_PRIOR_EXPOSURE + 60 * 0.5);
    const truthRng = seededRng(41);
    let aWins = 0;
    for (let i = 0; i < 200_000; i++) if (sampleBeta(truthRng, 2 * m + 6, 2 * (1 - m) + 24) > sampleBeta(truthRng, 2 * m + 3, 2 * (1 - m) + 27)) aWins++;
    const truth = aWins / 200_000;
    // One sample per slate: the noisiest setting, where a count plus the served draw would log 1/2
    // or 1, (truth + 1) / 2 on average. The samples are drawn apart from the served draw, so the
    // mean of what is logged when a is served is the chance of serving a.
    const policy = thompsonSampling({ priorStrength: 2, samples: 1 });
    const rng = seededRng(42);
    const logged: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const [item] = policy.chooseSlate(arms, 1, { rng, stats });
      if (item!.id === 'a') logged.push(item!.propensity);
    }
    expect(Math.abs(logged.length / 20_000 - truth)).toBeLessThan(0.01);
    expect(Math.abs(sum(logged) / logged.length - truth)).toBeLessThan(0.01);
  });

  it('gives distributions that sum to 1 on average over independent estimates', () => {
    const candidates = candidateSet(11, 25);
    const policy = thompsonSampling({ priorStrength: 4, samples: 400 });
    const sums = Array.from({ length: 30 }, (_, seed) =>
      sum(policy.distribution(candidates.slice(6), candidates.slice(0, 6), { rng: seededRng(seed), diversity: 0.7 })),
    );
    // 30 estimates whose sums spread about ±0.05 each: their mean within 0.03 is three standard errors.
    expect(Math.abs(sum(sums) / sums.length - 1)).toBeLessThan(0.03);
  });

  it('estimates the probability that each arm wins a posterior draw', () => {
    const arms: PolicyCandidate[] = [
      { id: 'a', score: 0.5, features: [] },
      { id: 'b', score: 0.5, features: [] },
      { id: 'c', score: 0.5, features: [] },
    ];
    const stats = new Map([
      ['a', { impressions: 10, clicks: 3 }],
      ['b', { impressions: 10, clicks: 5 }],
      ['c', { impressions: 4, clicks: 2 }],
    ]);
    const distribution = thompsonSampling({ priorStrength: 2, samples: 20_000 }).distribution(arms, [], { rng: seededRng(1), stats });
    // An independent estimate with the posteriors written out: the prior mean is the score times
    // the clicks per unit of score shown (10 clicks over 24 impressions at 0.5, after the start),
    // and the posterior Beta(2m + clicks, 2(1 − m) + misses).
    const m = (0.5 * (CALIBRATION_PRIOR_EXPOSURE * DEFAULT_CLICKS_PER_SCORE + 10)) / (CALIBRATION_PRIOR_EXPOSURE + 24 * 0.5);
    const rng = seededRng(99);
    const wins = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const draws = [sampleBeta(rng, 2 * m + 3, 2 * (1 - m) + 7), sampleBeta(rng, 2 * m + 5, 2 * (1 - m) + 5), sampleBeta(rng, 2 * m + 2, 2 * (1 - m) + 2)];
      wins[draws.indexOf(Math.max(...draws))]! += 1;
    }
    distribution.forEach((p, i) => expect(Math.abs(p - wins[i]! / 20_000)).toBeLessThan(0.02));
    expect(distribution[1]).toBeGreaterThan(distribution[0]!);
  });

  it('follows the fused score before any clicks and the click rate after many', () => {
    const arms: PolicyCandidate[] = [
      { id: 'high-score', score: 0.8, features: [] },
      { id: 'low-score', score: 0.2, features: [] },
    ];
    const policy = thompsonSampling({ priorStrength: 2000, samples: 2000 });
    expect(policy.distribution(arms, [], { rng: seededRng(1) })[0]).toBeGreaterThan(0.95);
    const stats = new Map([
      ['high-score', { impressions: 5000, clicks: 50 }],
      ['low-score', { impressions: 5000, clicks: 400 }],
    ]);
    expect(policy.distribution(arms, [], { rng: seededRng(1), stats })[1]).toBeGreaterThan(0.95);
  });
});

describe('calibration of the fused score to click rates', () => {
  // A slot whose shown items draw 1.5% clicks: 'seen' is shown 5 or 20 times without a click,
  // 'unseen' has never been shown and half its fused score.
  const candidates: PolicyCandidate[] = [
    { id: 'seen', score: 0.6, features: [] },
    { id: 'unseen', score: 0.3, features: [] },
    { id: 'background', score: 0.5, features: [] },
  ];
  const withMisses = (impressions: number) =>
    new Map([
      ['background', { impressions: 4000, clicks: 60 }],
      ['seen', { impressions, clicks: 0 }],
    ]);

  it.each([5, 20])('keeps an item shown %p times without a click above an unshown one with half its fused score', (impressions) => {
    const stats = withMisses(impressions);
    const greedy = policyFromConfig({ kind: 'epsilon-greedy', explorationStrength: 0 });
    expect(greedy.chooseSlate(candidates, 3, { rng: seededRng(1), stats }).map((item) => item.id)).toEqual(['seen', 'background', 'unseen']);
    // Thompson at the HOME default's strength: 'seen' still wins most posterior draws against 'unseen'.
    const thompson = policyFromConfig({ kind: 'thompson', explorationStrength: 0.3, samples: 4000 });
    const [seen, unseen] = thompson.distribution(candidates.slice(0, 2), [candidates[2]!], { rng: seededRng(2), stats });
    expect(seen).toBeGreaterThan(0.8);
    expect(unseen).toBeLessThan(0.2);
  });

  it('converges to the true click rates, whatever the fused score said', () => {
    // 'flattered' has the higher fused score and a third of the click rate.
    const arms: PolicyCandidate[] = [
      { id: 'flattered', score: 0.9, features: [] },
      { id: 'underrated', score: 0.3, features: [] },
    ];
    const truth = { flattered: 0.01, underrated: 0.03 };
    const rng = seededRng(5);
    const stats = new Map<string, ArmStats>();
    const policies = [policyFromConfig({ kind: 'epsilon-greedy', explorationStrength: 0 }), thompsonSampling({ priorStrength: 200, samples: 2000 })];
    for (const policy of policies) expect(policy.distribution(arms, [], { rng: seededRng(1), stats })[0]).toBeGreaterThan(0.8);
    for (const [id, rate] of Object.entries(truth)) {
      let clicks = 0;
      for (let i = 0; i < 20_000; i++) if (rng() < rate) clicks++;
      stats.set(id, { impressions: 20_000, clicks });
    }
    for (const policy of policies) expect(policy.distribution(arms, [], { rng: seededRng(1), stats })[1]).toBeGreaterThan(0.95);
  });
});

describe('linUcb', () => {
  it('keeps every candidate at or above floor / n at every position', () => {
    const candidates = candidateSet(21, 30);
    const floor = 0.05;
    const { steps } = traced(linUcb({ state: trainedState(3), alpha: 1.5, floor }), candidates, 10, { rng: seededRng(4), diversity: 0.7 });
    steps.forEach((step) => {
      expect(Math.min(...step.distribution)).toBeCloseTo(floor / step.remaining.length, 12);
      expect(step.distribution.filter((p) => p > floor / step.remaining.length + 1e-12)).toHaveLength(1);
    });
  });

  it('starts from its prior mean', () => {
    expect(Array.from(solveLinUcb(followsScore()).theta)).toEqual([0, 1, 0, 0]);
  });

  it('solves the ridge regression: A·A⁻¹ = I and θ = A⁻¹b', () => {
    const state = trainedState(5);
    const d = state.dimension;
    const { theta, inverse } = solveLinUcb(state);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let product = 0;
        for (let k = 0; k < d; k++) product += state.A[i * d + k]! * inverse[k * d + j]!;
        expect(product).toBeCloseTo(i === j ? 1 : 0, 9);
      }
      let residual = -state.b[i]!;
      for (let k = 0; k < d; k++) residual += state.A[i * d + k]! * theta[k]!;
      expect(residual).toBeCloseTo(0, 9);
    }
  });

  it('recovers a noiseless linear reward', () => {
    const rng = seededRng(6);
    const hidden = [0.3, -0.5, 0.8, 0.1];
    const state = createLinUcbState(4, 1e-6);
    for (let i = 0; i < 100; i++) {
      const x = Array.from({ length: 4 }, () => rng() * 2 - 1);
      updateLinUcb(
        state,
        x,
        x.reduce((total, value, k) => total + value * hidden[k]!, 0),
      );
    }
    Array.from(solveLinUcb(state).theta).forEach((value, k) => expect(value).toBeCloseTo(hidden[k]!, 4));
  });

  it('reads a segment context by its non-zero values, giving what the dense sums give', () => {
    const rng = seededRng(8);
    const context = () => segmentContext([1, rng(), rng() * 2 - 1, 0], Math.floor(rng() * 3), 3);
    const d = context().length;
    const state = createLinUcbState(d);
    const dense = Float64Array.from(state.A);
    for (let n = 0; n < 50; n++) {
      const x = context();
      updateLinUcb(state, x, rng() < 0.3 ? 1 : 0);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dense[i * d + j] = dense[i * d + j]! + x[i]! * x[j]!;
    }
    expect(Array.from(state.A)).toEqual(Array.from(dense));
    // The upper bound LinUCB ranks by, against θ·x + α·√(xᵀA⁻¹x) summed over every cell.
    const { theta, inverse } = solveLinUcb(state);
    const candidates: PolicyCandidate[] = Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, score: 0.5, features: context() }));
    const alpha = 1.5;
    const upper = candidates.map(({ features: x }) => {
      let variance = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) variance += x[i]! * inverse[i * d + j]! * x[j]!;
      return x.reduce((sum, value, i) => sum + theta[i]! * value, 0) + alpha * Math.sqrt(variance);
    });
    const best = upper.indexOf(Math.max(...upper));
    const distribution = linUcb({ state, alpha, floor: 0 }).distribution(candidates, [], { rng: seededRng(1) });
    expect(distribution.indexOf(1)).toBe(best);
    expect(() => addOuterProduct(new Float64Array(3), [1, 2])).toThrow(RecsysError);
  });

  it('prefers the uncertain item when α is large', () => {
    const state = createLinUcbState(2);
    // Lots of evidence along the first axis, none along the second.
    for (let i = 0; i < 500; i++) updateLinUcb(state, [1, 0], 0.5);
    const candidates: PolicyCandidate[] = [
      { id: 'known', score: 0.9, features: [1, 0] },
      { id: 'novel', score: 0.1, features: [0, 1] },
    ];
    const step = (alpha: number) => linUcb({ state, alpha, floor: 0 }).distribution(candidates, [], { rng: seededRng(1) });
    expect(step(0)).toEqual([1, 0]);
    expect(step(2)).toEqual([0, 1]);
  });
});

describe('policyFromConfig', () => {
  it("passes Thompson's Monte Carlo samples on, 16 unless set", () => {
    const one = policyFromConfig({ kind: 'thompson', explorationStrength: 0.5, samples: 1 });
    expect(one.params).toEqual({ priorStrength: 400, samples: 1 });
    expect(policyFromConfig({ kind: 'thompson', explorationStrength: 0.5 }).params.samples).toBe(16);
  });
});

describe('bad input', () => {
  const ctx = { rng: seededRng(1) };
  it.each<[string, () => unknown]>([
    ['duplicate ids', () => epsilonGreedy({ epsilon: 0.1 }).chooseSlate([candidateSet(1, 2)[0]!, candidateSet(1, 2)[0]!], 2, ctx)],
    ['diversity 0', () => epsilonGreedy({ epsilon: 0.1 }).chooseSlate(candidateSet(1, 3), 2, { ...ctx, diversity: 0 })],
    ['negative size', () => epsilonGreedy({ epsilon: 0.1 }).chooseSlate(candidateSet(1, 3), -1, ctx)],
    ['epsilon above 1', () => epsilonGreedy({ epsilon: 1.5 })],
    ['wrong feature dimension', () => linUcb({ state: createLinUcbState(3), alpha: 1 }).chooseSlate(candidateSet(1, 3), 2, ctx)],
    ['linucb without state', () => policyFromConfig({ kind: 'linucb', explorationStrength: 0.5 })],
    ['strength above 1', () => policyFromConfig({ kind: 'thompson', explorationStrength: 2 })],
    [
      'more clicks than impressions',
      () =>
        thompsonSampling({ priorStrength: 2 }).chooseSlate(candidateSet(1, 1), 1, { ...ctx, stats: new Map([['item-1-0', { impressions: 1, clicks: 2 }]]) }),
    ],
  ])('refuses %s with a coded RecsysError', (_case, call) => {
    expect(call).toThrow(RecsysError);
    expect(call).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('returns an empty slate for no candidates or size 0', () => {
    expect(thompsonSampling({ priorStrength: 2 }).chooseSlate([], 5, ctx)).toEqual([]);
    expect(epsilonGreedy({ epsilon: 0.1 }).chooseSlate(candidateSet(1, 3), 0, ctx)).toEqual([]);
  });
});
