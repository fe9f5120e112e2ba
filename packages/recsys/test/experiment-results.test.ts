import {
  computeResults,
  ExperimentAllocation,
  ExperimentMetric,
  Guardrail,
  MIN_SHOPPERS_PER_ARM,
  seededRng,
  slateCoverage,
  slateDiversity,
  type ArmGuardrails,
  type ExperimentDesign,
  type ShopperUnit,
} from '../src';

const experiment = (allocation = ExperimentAllocation.FIXED, primaryMetric = ExperimentMetric.CTR): ExperimentDesign => ({
  allocation,
  primaryMetric,
  arms: [
    { index: 0, name: 'control', share: 0.5 },
    { index: 1, name: 'treatment', share: 0.5 },
  ],
});

/** Shoppers of one arm who each see `impressions` items and click each with `ctr`. */
function shoppers(arm: number, count: number, ctr: number, rng: () => number, propensity = 0.5, impressions = 10): ShopperUnit[] {
  return Array.from({ length: count }, () => {
    let clicks = 0;
    for (let i = 0; i < impressions; i++) if (rng() < ctr) clicks += 1;
    const purchases = rng() < ctr ? 1 : 0;
    return { arm, propensity, slates: 2, impressions, clicks, purchases, revenue: purchases * 20 };
  });
}

const estimate = (value: number, standardError: number) => ({ value, standardError, units: 100 });
const diversity = estimate;
const coverage = (value: number) => estimate(value, 0.01);

const GOOD: ArmGuardrails[] = [
  { diversity: diversity(0.5, 0.01), coverage: coverage(0.2) },
  { diversity: diversity(0.49, 0.01), coverage: coverage(0.21) },
];

describe('computeResults', () => {
  it('names a clearly better treatment the winner, with an interval that excludes zero', () => {
    const rng = seededRng(1);
    const units = [...shoppers(0, 200, 0.05, rng), ...shoppers(1, 200, 0.1, rng)];
    const results = computeResults(experiment(), units, GOOD, [0.5, 0.5], 0.95);
    const ctr = results.arms[1]!.comparisons.find((comparison) => comparison.metric === ExperimentMetric.CTR)!;
    expect(ctr.significant).toBe(true);
    expect(ctr.lower).toBeGreaterThan(0);
    expect(results.winner?.name).toBe('treatment');
    expect(results.arms[0]!.comparisons).toEqual([]);
    expect(results.arms[0]!.ctr.lower).toBeLessThan(0.05);
    expect(results.arms[0]!.ctr.upper).toBeGreaterThan(0.05);
    expect(results.sampleRatio).toMatchObject({ observed: [200, 200], expected: [200, 200], mismatch: false });
  });

  it('names nobody when the arms are alike', () => {
    const rng = seededRng(2);
    const units = [...shoppers(0, 200, 0.08, rng), ...shoppers(1, 200, 0.08, rng)];
    const results = computeResults(experiment(), units, GOOD, [0.5, 0.5], 0.95);
    expect(results.winner).toBeNull();
    expect(results.verdict).toMatch(/^No significant difference on click-through rate/);
  });

  it('withholds a verdict on a sample ratio mismatch, on thin arms, and on a breached guardrail', () => {
    const rng = seededRng(3);
    const skewed = computeResults(experiment(), [...shoppers(0, 300, 0.05, rng), ...shoppers(1, 200, 0.2, rng)], GOOD, [0.5, 0.5], 0.95);
    expect(skewed.sampleRatio?.mismatch).toBe(true);
    expect(skewed.winner).toBeNull();
    expect(skewed.verdict).toMatch(/^Sample ratio mismatch/);

    const thin = computeResults(experiment(), [...shoppers(0, MIN_SHOPPERS_PER_ARM - 1, 0.05, rng), ...shoppers(1, 40, 0.5, rng)], GOOD, [0.5, 0.5], 0.95);
    expect(thin.winner).toBeNull();
    expect(thin.verdict).toMatch(/^Collecting data/);

    const traffic = [...shoppers(0, 200, 0.05, rng), ...shoppers(1, 200, 0.2, rng)];
    const narrow: ArmGuardrails[] = [
      { diversity: diversity(0.5, 0.01), coverage: coverage(0.2) },
      { diversity: diversity(0.3, 0.01), coverage: coverage(0.2) },
    ];
    const breached = computeResults(experiment(), traffic, narrow, [0.5, 0.5], 0.95);
    expect(breached.arms[1]!.guardrails.find((check) => check.guardrail === Guardrail.DIVERSITY)?.breached).toBe(true);
    expect(breached.winner).toBeNull();
    expect(breached.verdict).toMatch(/breaches the diversity guardrail/);

    const shrunk: ArmGuardrails[] = [
      { diversity: diversity(0.5, 0.01), coverage: coverage(0.4) },
      { diversity: diversity(0.5, 0.01), coverage: coverage(0.3) },
    ];
    expect(computeResults(experiment(), traffic, shrunk, [0.5, 0.5], 0.95).verdict).toMatch(/breaches the coverage guardrail/);
  });

  it('breaches a guardrail only on a significant loss, not on a noisy dip past the tolerance', () => {
    const rng = seededRng(5);
    const traffic = [...shoppers(0, 200, 0.05, rng), ...shoppers(1, 200, 0.2, rng)];
    // 0.0047 is 15% below 0.0055, but per-slate noise of 0.0004 makes that dip compatible with no loss at all.
    const noisy: ArmGuardrails[] = [
      { diversity: diversity(0.0055, 0.0004), coverage: coverage(1) },
      { diversity: diversity(0.0047, 0.0004), coverage: coverage(1) },
    ];
    const results = computeResults(experiment(), traffic, noisy, [0.5, 0.5], 0.95);
    expect(results.arms[1]!.guardrails.find((check) => check.guardrail === Guardrail.DIVERSITY)).toMatchObject({
      value: 0.0047,
      standardError: 0.0004,
      breached: false,
    });
    expect(results.winner?.name).toBe('treatment');

    const precise: ArmGuardrails[] = [
      { diversity: diversity(0.0055, 0.00005), coverage: coverage(1) },
      { diversity: diversity(0.0047, 0.00005), coverage: coverage(1) },
    ];
    expect(computeResults(experiment(), traffic, precise, [0.5, 0.5], 0.95).winner).toBeNull();

    // The same for coverage: 0.42 is 16% below 0.5, within the noise of a few dozen slates but not of thousands.
    const fewSlates: ArmGuardrails[] = [
      { diversity: diversity(0.5, 0.01), coverage: estimate(0.5, 0.05) },
      { diversity: diversity(0.5, 0.01), coverage: estimate(0.42, 0.05) },
    ];
    const few = computeResults(experiment(), traffic, fewSlates, [0.5, 0.5], 0.95);
    expect(few.arms[1]!.guardrails.find((check) => check.guardrail === Guardrail.COVERAGE)).toMatchObject({
      value: 0.42,
      standardError: 0.05,
      breached: false,
    });
    expect(few.winner?.name).toBe('treatment');
    const manySlates: ArmGuardrails[] = [
      { diversity: diversity(0.5, 0.01), coverage: estimate(0.5, 0.005) },
      { diversity: diversity(0.5, 0.01), coverage: estimate(0.42, 0.005) },
    ];
    expect(computeResults(experiment(), traffic, manySlates, [0.5, 0.5], 0.95).verdict).toMatch(/breaches the coverage guardrail/);
  });

  it('weights adaptive assignments by their propensities, undoing a split that drifted with the outcome', () => {
    // Early shoppers click little and were split evenly; later ones click more, and the allocation
    // had moved 90% of them to the treatment. Both arms are truly the same (the time trend only),
    // so unweighted means favour the treatment, and weighting by 1/propensity removes that.
    const rng = seededRng(4);
    const early = [...shoppers(0, 500, 0.02, rng, 0.5), ...shoppers(1, 500, 0.02, rng, 0.5)];
    const late = [...shoppers(0, 100, 0.2, rng, 0.1), ...shoppers(1, 900, 0.2, rng, 0.9)];
    const units = [...early, ...late];
    const plain = computeResults(
      experiment(ExperimentAllocation.FIXED),
      units.map((unit) => ({ ...unit, propensity: 0.5 })),
      GOOD,
      [0.5, 0.5],
      0.95,
    );
    const weighted = computeResults(experiment(ExperimentAllocation.ADAPTIVE), units, GOOD, [0.1, 0.9], 0.95);
    const lift = (results: typeof plain) => results.arms[1]!.comparisons.find((comparison) => comparison.metric === ExperimentMetric.CTR)!;
    expect(lift(plain).significant).toBe(true);
    expect(Math.abs(lift(weighted).difference)).toBeLessThan(0.01);
    expect(lift(weighted).significant).toBe(false);
    expect(weighted.sampleRatio).toBeNull();
    expect(weighted.arms[1]!.trafficShare).toBe(0.9);
  });
});

describe('guardrail measures', () => {
  const vectors: Record<string, number[]> = { a: [1, 0], b: [1, 0], c: [0, 1], d: [0, 1] };
  const catalogue = {
    size: 4,
    has: (id: string) => id in vectors,
    vectorOf: (id: string) => vectors[id] ?? null,
  };

  it('slateCoverage is the share of the catalogue shown, ignoring products outside it, with no spread when every slate is alike', () => {
    expect(slateCoverage(catalogue, [['a', 'c', 'gone']])).toEqual({ value: 0.5, standardError: 0, units: 1 });
    const mixed = slateCoverage(catalogue, [['a'], ['b'], ['c'], ['d']])!;
    expect(mixed.value).toBe(1);
    expect(mixed.standardError).toBeGreaterThan(0);
    expect(slateCoverage({ ...catalogue, size: 0 }, [['a']])).toBeNull();
    expect(slateCoverage(catalogue, [])).toBeNull();
  });

  it('slateDiversity is 1 − the mean pairwise cosine per slate, skipping slates with under two vectors', () => {
    expect(slateDiversity(catalogue, [['a', 'b']])?.value).toBeCloseTo(0);
    expect(slateDiversity(catalogue, [['a', 'c']])?.value).toBeCloseTo(1);
    const mean = slateDiversity(catalogue, [
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'gone'],
    ])!;
    expect(mean.value).toBeCloseTo(0.5);
    expect(mean.units).toBe(2);
    expect(slateDiversity(catalogue, [['a'], ['gone', 'c']])).toBeNull();
  });
});
