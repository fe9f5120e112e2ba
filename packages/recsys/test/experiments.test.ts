import {
  assignmentDraw,
  chiSquarePValue,
  compareMetric,
  holm,
  meanMetric,
  normalCdf,
  normalQuantile,
  pickArm,
  ratioMetric,
  RecsysError,
  sampleRatioMismatch,
  seededRng,
  thompsonAllocation,
  type Rng,
} from '../src';

const bernoulli = (rng: Rng, p: number) => (rng() < p ? 1 : 0);

/** One simulated shopper: a personal click rate around the arm's, and a varying number of impressions. */
function shopper(rng: Rng, rate: number) {
  const personal = Math.min(1, Math.max(0, rate + (rng() - 0.5) * rate));
  const impressions = 1 + Math.floor(rng() * 20);
  let clicks = 0;
  for (let i = 0; i < impressions; i++) clicks += bernoulli(rng, personal);
  return { numerator: clicks, denominator: impressions };
}

describe('assignment', () => {
  it('is deterministic per (salt, unit) and independent across salts', () => {
    expect(assignmentDraw('exp-a', 'user-1')).toBe(assignmentDraw('exp-a', 'user-1'));
    const units = Array.from({ length: 4000 }, (_, i) => `user-${i}`);
    const a = units.map((unit) => pickArm(assignmentDraw('exp-a', unit), [0.5, 0.5]));
    const b = units.map((unit) => pickArm(assignmentDraw('exp-b', unit), [0.5, 0.5]));
    const sameArm = a.filter((arm, i) => arm === b[i]).length / units.length;
    // Independent salts agree about half the time; a shared hash would agree always.
    expect(sameArm).toBeGreaterThan(0.46);
    expect(sameArm).toBeLessThan(0.54);
  });

  it('splits units in the configured shares', () => {
    const shares = [0.2, 0.3, 0.5];
    const counts = [0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[pickArm(assignmentDraw('split', `u${i}`), shares)]!++;
    counts.forEach((count, arm) => expect(Math.abs(count / 20000 - shares[arm]!)).toBeLessThan(0.015));
    expect(sampleRatioMismatch(counts, shares).mismatch).toBe(false);
  });

  it('draws lie in [0, 1) and picking respects slice edges', () => {
    for (let i = 0; i < 1000; i++) {
      const draw = assignmentDraw('edge', String(i));
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
    }
    expect(pickArm(0, [0.25, 0.75])).toBe(0);
    expect(pickArm(0.25, [0.25, 0.75])).toBe(1);
    expect(pickArm(0.9999999, [0.1, 0.2, 0.7])).toBe(2);
    expect(() => pickArm(0.5, [0.5, 0.4])).toThrow(RecsysError);
  });
});

describe('normal distribution', () => {
  it('matches tabulated values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644853627)).toBeCloseTo(0.05, 6);
    // The tail keeps relative precision far out, where 1 − Φ would round to 0.
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
    for (const p of [1e-6, 0.01, 0.3, 0.7, 0.99, 1 - 1e-6]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 8);
  });
});

describe('metrics', () => {
  it('mean metric has the textbook standard error', () => {
    const estimate = meanMetric([1, 0, 0, 1, 1, 0, 1, 1]);
    expect(estimate.value).toBeCloseTo(0.625, 12);
    // Sample variance 0.267857…, over n = 8.
    expect(estimate.standardError).toBeCloseTo(Math.sqrt(0.26785714285714285 / 8), 12);
    expect(meanMetric([])).toEqual({ value: 0, standardError: 0, units: 0 });
  });

  it('ratio metric standard error agrees with a bootstrap over units', () => {
    const rng = seededRng(11);
    const units = Array.from({ length: 400 }, () => shopper(rng, 0.1));
    const estimate = ratioMetric(units);
    const resamples: number[] = [];
    for (let b = 0; b < 2000; b++) {
      let clicks = 0;
      let impressions = 0;
      for (let i = 0; i < units.length; i++) {
        const unit = units[Math.floor(rng() * units.length)]!;
        clicks += unit.numerator;
        impressions += unit.denominator;
      }
      resamples.push(clicks / impressions);
    }
    const mean = resamples.reduce((a, b) => a + b, 0) / resamples.length;
    const bootstrapSe = Math.sqrt(resamples.reduce((total, r) => total + (r - mean) ** 2, 0) / (resamples.length - 1));
    expect(estimate.standardError / bootstrapSe).toBeGreaterThan(0.9);
    expect(estimate.standardError / bootstrapSe).toBeLessThan(1.1);
  });

  it('empty ratio is zero with no spread', () => {
    expect(ratioMetric([{ numerator: 0, denominator: 0 }])).toEqual({ value: 0, standardError: 0, units: 1 });
  });
});

describe('comparisons', () => {
  it('A/A tests are called significant about α of the time', () => {
    const rng = seededRng(3);
    let significant = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const a = ratioMetric(Array.from({ length: 200 }, () => shopper(rng, 0.08)));
      const b = ratioMetric(Array.from({ length: 200 }, () => shopper(rng, 0.08)));
      if (compareMetric(a, b).pValue < 0.05) significant++;
    }
    // Binomial(400, 0.05): mean 20, sd 4.4; a per-impression error would reject far more often.
    expect(significant / trials).toBeGreaterThan(0.02);
    expect(significant / trials).toBeLessThan(0.09);
  });

  it('intervals cover the true difference at their nominal rate', () => {
    const rng = seededRng(5);
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const control = meanMetric(Array.from({ length: 300 }, () => bernoulli(rng, 0.2)));
      const treatment = meanMetric(Array.from({ length: 300 }, () => bernoulli(rng, 0.26)));
      const comparison = compareMetric(control, treatment, 0.9);
      if (comparison.lower <= 0.06 && 0.06 <= comparison.upper) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.86);
    expect(covered / trials).toBeLessThan(0.94);
  });

  it('finds a real lift and reports it relative to the control', () => {
    const rng = seededRng(9);
    const control = ratioMetric(Array.from({ length: 500 }, () => shopper(rng, 0.05)));
    const treatment = ratioMetric(Array.from({ length: 500 }, () => shopper(rng, 0.1)));
    const comparison = compareMetric(control, treatment);
    expect(comparison.pValue).toBeLessThan(0.001);
    expect(comparison.lower).toBeGreaterThan(0);
    expect(comparison.relativeLift!).toBeCloseTo(comparison.difference / control.value, 12);
  });

  it('handles estimates without spread', () => {
    const none = { value: 0.5, standardError: 0, units: 10 };
    expect(compareMetric(none, none)).toMatchObject({ difference: 0, z: 0, pValue: 1 });
    expect(compareMetric(none, { ...none, value: 0.6 })).toMatchObject({ z: Infinity, pValue: 0 });
    expect(compareMetric({ ...none, value: 0 }, none).relativeLift).toBeNull();
  });

  it('holm adjusts step-down and keeps the input order', () => {
    // Tabulated example: p = (0.01, 0.04, 0.03, 0.005) → (0.03, 0.06, 0.06, 0.02).
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
    expect(holm([0.9, 0.8])).toEqual([1, 1]);
    expect(holm([0.04, 0.2])).toEqual([0.08, 0.2]);
    expect(holm([])).toEqual([]);
  });
});

describe('sample ratio mismatch', () => {
  it('chi-square p-values match the tables', () => {
    expect(chiSquarePValue(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(5.991465, 2)).toBeCloseTo(0.05, 6);
    expect(chiSquarePValue(10.827566, 1)).toBeCloseTo(0.001, 7);
    expect(chiSquarePValue(0.5, 3)).toBeCloseTo(0.918891, 5);
    expect(chiSquarePValue(0, 2)).toBe(1);
  });

  it('flags a broken split and passes a fair one', () => {
    const broken = sampleRatioMismatch([5200, 4800], [0.5, 0.5]);
    expect(broken.chiSquare).toBeCloseTo(16, 10);
    expect(broken.degreesOfFreedom).toBe(1);
    expect(broken.mismatch).toBe(true);
    expect(sampleRatioMismatch([5040, 4960], [0.5, 0.5]).mismatch).toBe(false);
    expect(sampleRatioMismatch([0, 0], [0.5, 0.5])).toEqual({ chiSquare: 0, degreesOfFreedom: 1, pValue: 1, mismatch: false });
    expect(() => sampleRatioMismatch([1, 2, 3], [0.5, 0.5])).toThrow(RecsysError);
  });
});

describe('adaptive allocation', () => {
  it('shares sum to one, respect the floor and follow the evidence', () => {
    const shares = thompsonAllocation(
      [
        { successes: 10, trials: 200 },
        { successes: 40, trials: 200 },
        { successes: 12, trials: 200 },
      ],
      { rng: seededRng(1), floor: 0.05 },
    );
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    shares.forEach((share) => expect(share).toBeGreaterThanOrEqual(0.05));
    expect(shares[1]).toBeGreaterThan(0.85);
  });

  it('without evidence splits evenly', () => {
    const shares = thompsonAllocation(
      [
        { successes: 0, trials: 0 },
        { successes: 0, trials: 0 },
      ],
      { rng: seededRng(2), draws: 4000 },
    );
    shares.forEach((share) => expect(Math.abs(share - 0.5)).toBeLessThan(0.03));
  });

  it('refuses impossible input', () => {
    expect(() => thompsonAllocation([{ successes: 3, trials: 2 }])).toThrow(RecsysError);
    expect(() =>
      thompsonAllocation(
        [
          { successes: 0, trials: 0 },
          { successes: 0, trials: 0 },
        ],
        { floor: 0.6 },
      ),
    ).toThrow(RecsysError);
    expect(() => thompsonAllocation([])).toThrow(RecsysError);
  });
});
