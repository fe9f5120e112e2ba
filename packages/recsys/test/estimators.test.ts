import { directMethod, doublyRobust, ipw, RecsysError, seededRng, snipw, type Estimate, type EstimateOptions, type LoggedRound, type Rng } from '../src';

/** A small contextual bandit whose true values are known: P(click | context, action) and two policies. */
interface World {
  contexts: number;
  /** reward[x][a]: probability of reward 1. */
  reward: number[][];
  logging: number[][];
  target: number[][];
}

interface SimRound extends LoggedRound {
  context: number;
}

const MILD: World = {
  contexts: 3,
  reward: [
    [0.1, 0.3, 0.6, 0.2],
    [0.5, 0.2, 0.1, 0.4],
    [0.3, 0.7, 0.2, 0.1],
  ],
  logging: [
    [0.4, 0.3, 0.2, 0.1],
    [0.25, 0.25, 0.25, 0.25],
    [0.1, 0.2, 0.3, 0.4],
  ],
  target: [
    [0.1, 0.1, 0.7, 0.1],
    [0.6, 0.1, 0.1, 0.2],
    [0.1, 0.7, 0.1, 0.1],
  ],
};

/** The logging policy almost never shows action 3, which the target likes and which pays best. */
const EXTREME: World = {
  contexts: 2,
  reward: [
    [0.2, 0.3, 0.1, 0.9],
    [0.4, 0.1, 0.2, 0.9],
  ],
  logging: [
    [0.5, 0.3, 0.1999, 1e-4],
    [0.2, 0.3, 0.4999, 1e-4],
  ],
  target: [
    [0.2, 0.2, 0.2, 0.4],
    [0.3, 0.1, 0.2, 0.4],
  ],
};

/** V(π) = Σ_x P(x) Σ_a π(a|x) q(x, a), contexts uniform. */
function trueValue(world: World): number {
  let value = 0;
  for (let x = 0; x < world.contexts; x++) value += expectedReward(world, x) / world.contexts;
  return value;
}

const expectedReward = (world: World, x: number) => world.target[x]!.reduce((sum, p, a) => sum + p * world.reward[x]![a]!, 0);

function draw(rng: Rng, distribution: readonly number[]): number {
  let u = rng();
  for (let a = 0; a < distribution.length; a++) {
    u -= distribution[a]!;
    if (u < 0) return a;
  }
  return distribution.length - 1;
}

function simulate(world: World, n: number, seed: number): SimRound[] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => {
    const context = Math.floor(rng() * world.contexts);
    const action = draw(rng, world.logging[context]!);
    return {
      context,
      action: `a${action}`,
      reward: rng() < world.reward[context]![action]! ? 1 : 0,
      propensity: world.logging[context]![action]!,
      targetProbability: world.target[context]![action]!,
    };
  });
}

/** The true expected rewards as the reward model: the best model DR and DM can have. */
const trueModel =
  (world: World): EstimateOptions<SimRound>['rewardModel'] =>
  (round) => ({
    logged: world.reward[round.context]![Number(round.action.slice(1))]!,
    expected: expectedReward(world, round.context),
  });

const covers = (estimate: Estimate, value: number) => estimate.lower <= value && value <= estimate.upper;

function spread(values: readonly number[]): number {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
}

describe('off-policy estimators on a simulated bandit with a known answer', () => {
  const truth = trueValue(MILD);
  const onPolicy = MILD.logging.reduce((sum, row, x) => sum + row.reduce((s, p, a) => s + p * MILD.reward[x]![a]!, 0), 0) / MILD.contexts;

  it('IPW and DR cover the true target value, which differs from the logging policy value', () => {
    expect(Math.abs(truth - onPolicy)).toBeGreaterThan(0.15);
    const rounds = simulate(MILD, 2000, 1);
    const rewardModel = trueModel(MILD);
    for (const estimate of [ipw(rounds, { seed: 1, bootstrap: 500 }), doublyRobust(rounds, { rewardModel, seed: 1, bootstrap: 500 })]) {
      expect(covers(estimate, truth)).toBe(true);
      expect(estimate.lower).toBeLessThan(estimate.value);
      expect(estimate.upper).toBeGreaterThan(estimate.value);
      expect(estimate.rounds).toBe(2000);
    }
    // The naive on-policy mean of the log estimates the logging policy, not the target.
    const naive = rounds.reduce((sum, round) => sum + round.reward, 0) / rounds.length;
    expect(Math.abs(naive - truth)).toBeGreaterThan(0.1);
  });

  it('IPW and DR intervals cover the truth in most of 50 repetitions, and DR is tighter with a good model', () => {
    const rewardModel = trueModel(MILD);
    const covered = { ipw: 0, dr: 0 };
    const values = { ipw: [] as number[], dr: [] as number[] };
    let ipwWidth = 0;
    let drWidth = 0;
    for (let rep = 0; rep < 50; rep++) {
      const rounds = simulate(MILD, 600, 100 + rep);
      const a = ipw(rounds, { seed: rep, bootstrap: 250 });
      const b = doublyRobust(rounds, { rewardModel, seed: rep, bootstrap: 250 });
      covered.ipw += covers(a, truth) ? 1 : 0;
      covered.dr += covers(b, truth) ? 1 : 0;
      values.ipw.push(a.value);
      values.dr.push(b.value);
      ipwWidth += a.upper - a.lower;
      drWidth += b.upper - b.lower;
    }
    expect(covered.ipw).toBeGreaterThanOrEqual(42);
    expect(covered.dr).toBeGreaterThanOrEqual(42);
    // Unbiased: the mean over repetitions is within a few standard errors of the truth.
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(Math.abs(mean(values.ipw) - truth)).toBeLessThan((3 * spread(values.ipw)) / Math.sqrt(50));
    expect(Math.abs(mean(values.dr) - truth)).toBeLessThan((3 * spread(values.dr)) / Math.sqrt(50));
    expect(drWidth).toBeLessThan(0.8 * ipwWidth);
    expect(spread(values.dr)).toBeLessThan(0.8 * spread(values.ipw));
  });

  it('DM with the true model is the truth up to context sampling; SNIPW is close too', () => {
    const rounds = simulate(MILD, 3000, 7);
    const dm = directMethod(rounds, { rewardModel: trueModel(MILD), bootstrap: 200 });
    expect(dm.estimator).toBe('DM');
    expect(Math.abs(dm.value - truth)).toBeLessThan(0.02);
    expect(covers(snipw(rounds, { bootstrap: 200 }), truth)).toBe(true);
  });

  it('a reward model refitted on every resample gives DM an interval as wide as its sampling error; one fitted once on the same rounds gives none', () => {
    // No context: a fixed model gives every round the same DM term, so its interval has no width at all.
    const world: World = { contexts: 1, reward: [[0.1, 0.3, 0.5]], logging: [[1 / 3, 1 / 3, 1 / 3]], target: [[0, 0.5, 0.5]] };
    const value = trueValue(world);
    const actions = world.reward[0]!.length;
    /** q̂(x, a) = the mean reward of (x, a) among the rounds. */
    const fit = (rounds: readonly SimRound[]) => {
      const sums = new Float64Array(world.contexts * actions);
      const counts = new Float64Array(world.contexts * actions);
      for (const round of rounds) {
        const cell = round.context * actions + Number(round.action.slice(1));
        sums[cell] = sums[cell]! + round.reward;
        counts[cell] = counts[cell]! + 1;
      }
      const q = (x: number, a: number) => (counts[x * actions + a]! > 0 ? sums[x * actions + a]! / counts[x * actions + a]! : 0);
      return (round: SimRound) => ({
        logged: q(round.context, Number(round.action.slice(1))),
        expected: world.target[round.context]!.reduce((sum, p, a) => sum + p * q(round.context, a), 0),
      });
    };
    // DM = ½·q̂(a1) + ½·q̂(a2), each a mean of about n/3 rewards: its 95% interval is about 2·1.96 of this wide.
    const n = 600;
    const standardError = Math.sqrt(0.25 * ((0.3 * 0.7) / (n / 3)) + 0.25 * ((0.5 * 0.5) / (n / 3)));
    for (let rep = 0; rep < 6; rep++) {
      const rounds = simulate(world, n, 900 + rep);
      const refit = directMethod(rounds, { fitRewardModel: fit, bootstrap: 300, seed: rep });
      const fixed = directMethod(rounds, { rewardModel: fit(rounds), bootstrap: 300, seed: rep });
      expect(refit.value).toBeCloseTo(fixed.value, 12);
      expect(Math.abs(refit.value - value)).toBeLessThan(4 * standardError);
      expect((refit.upper - refit.lower) / (2 * 1.96 * standardError)).toBeGreaterThan(0.75);
      expect((refit.upper - refit.lower) / (2 * 1.96 * standardError)).toBeLessThan(1.25);
      expect(fixed.upper - fixed.lower).toBeLessThan(1e-12);
    }
    // DR with the refitted model is still the same estimate as with the model fitted once.
    const rounds = simulate(world, n, 42);
    expect(doublyRobust(rounds, { fitRewardModel: fit, bootstrap: 20 }).value).toBeCloseTo(
      doublyRobust(rounds, { rewardModel: fit(rounds), bootstrap: 1 }).value,
      12,
    );
  });

  it('SNIPW stays within the reward range and varies far less than IPW under extreme propensities', () => {
    const values = { ipw: [] as number[], snipw: [] as number[] };
    for (let rep = 0; rep < 50; rep++) {
      const rounds = simulate(EXTREME, 2000, 500 + rep);
      // Only SNIPW's interval is checked; one resample keeps IPW cheap.
      const a = ipw(rounds, { seed: rep, bootstrap: 1 });
      const s = snipw(rounds, { seed: rep, bootstrap: 100 });
      for (const bound of [s.value, s.lower, s.upper]) {
        expect(bound).toBeGreaterThanOrEqual(0);
        expect(bound).toBeLessThanOrEqual(1);
      }
      values.ipw.push(a.value);
      values.snipw.push(s.value);
    }
    // A single logged rare action weighs 4,000 rounds: IPW jumps above any possible reward.
    expect(Math.max(...values.ipw)).toBeGreaterThan(1);
    expect(spread(values.snipw)).toBeLessThan(spread(values.ipw) / 3);
  });

  it('is deterministic for a seed and narrows with confidence', () => {
    const rounds = simulate(MILD, 500, 3);
    expect(ipw(rounds, { seed: 5, bootstrap: 200 })).toEqual(ipw(rounds, { seed: 5, bootstrap: 200 }));
    expect(ipw(rounds, { seed: 5, bootstrap: 200 })).not.toEqual(ipw(rounds, { seed: 6, bootstrap: 200 }));
    const wide = ipw(rounds, { confidence: 0.99, bootstrap: 200 });
    const narrow = ipw(rounds, { confidence: 0.5, bootstrap: 200 });
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('computes the textbook formulas on a hand-made log', () => {
    const rounds: LoggedRound[] = [
      { action: 'x', reward: 1, propensity: 0.5, targetProbability: 1 },
      { action: 'y', reward: 0, propensity: 0.25, targetProbability: 0.5 },
      { action: 'x', reward: 1, propensity: 0.5, targetProbability: 0 },
    ];
    // w = 2, 2, 0.
    expect(ipw(rounds).value).toBeCloseTo(2 / 3);
    expect(snipw(rounds).value).toBeCloseTo(2 / 4);
    const rewardModel = () => ({ logged: 0.5, expected: 0.4 });
    expect(directMethod(rounds, { rewardModel }).value).toBeCloseTo(0.4);
    // 0.4 + 2·0.5, 0.4 + 2·(−0.5), 0.4 + 0.
    expect(doublyRobust(rounds, { rewardModel }).value).toBeCloseTo(0.4);
  });

  it('rejects bad input with the offending field', () => {
    const good: LoggedRound = { action: 'a', reward: 1, propensity: 0.5, targetProbability: 0.5 };
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(RecsysError);
        return (error as RecsysError).field;
      }
      throw new Error('did not throw');
    };
    expect(field(() => ipw([]))).toBe('rounds');
    expect(field(() => ipw([{ ...good, propensity: 0 }]))).toBe('propensity');
    expect(field(() => ipw([{ ...good, propensity: 1.5 }]))).toBe('propensity');
    expect(field(() => ipw([{ ...good, targetProbability: -0.1 }]))).toBe('targetProbability');
    expect(field(() => ipw([{ ...good, reward: Number.NaN }]))).toBe('reward');
    expect(field(() => snipw([{ ...good, targetProbability: 0 }]))).toBe('targetProbability');
    expect(field(() => directMethod([good], {}))).toBe('rewardModel');
    expect(
      field(() => directMethod([good], { rewardModel: () => ({ logged: 0, expected: 0 }), fitRewardModel: () => () => ({ logged: 0, expected: 0 }) })),
    ).toBe('rewardModel');
    expect(field(() => doublyRobust([good], { rewardModel: () => ({ logged: Number.NaN, expected: 0 }) }))).toBe('rewardModel');
    expect(field(() => ipw([good], { bootstrap: 0 }))).toBe('bootstrap');
    expect(field(() => ipw([good], { confidence: 1 }))).toBe('confidence');
  });
});
