import { compareMetric, holm, meanMetric, normalQuantile, ratioMetric, sampleRatioMismatch, type MetricComparison, type MetricEstimate } from './experiments';
import { intraListSimilarity } from './mmr';
import { seededRng } from './random';
import type { Vector } from './vector';

/**
 * An A/B experiment's results from per-shopper figures: estimates with intervals, comparisons
 * with the control, the sample-ratio check, the diversity and coverage guardrails, and the
 * verdict. The GraphQL types of the recommendation subgraph have the same shapes.
 */

export enum ExperimentAllocation {
  FIXED = 'FIXED',
  ADAPTIVE = 'ADAPTIVE',
}

export enum ExperimentMetric {
  CTR = 'CTR',
  CONVERSION = 'CONVERSION',
  REVENUE_PER_SHOPPER = 'REVENUE_PER_SHOPPER',
}

export enum Guardrail {
  DIVERSITY = 'DIVERSITY',
  COVERAGE = 'COVERAGE',
}

/** What the results read of an arm; `index` 0 is the control. */
export interface ArmDesign {
  index: number;
  name: string;
  /** Configured traffic share, normalised. */
  share: number;
}

/** What the results read of an experiment. */
export interface ExperimentDesign<A extends ArmDesign = ArmDesign> {
  allocation: ExperimentAllocation;
  primaryMetric: ExperimentMetric;
  arms: readonly A[];
}

export interface MetricInterval {
  value: number;
  standardError: number;
  lower: number;
  upper: number;
}

/** An arm against the control on one metric, Holm-adjusted over the arms compared. */
export interface ArmComparison extends MetricComparison {
  metric: ExperimentMetric;
  adjustedPValue: number;
  significant: boolean;
}

export interface GuardrailCheck {
  guardrail: Guardrail;
  value: number | null;
  standardError: number | null;
  breached: boolean;
}

export interface ArmResult<A extends ArmDesign = ArmDesign> {
  arm: A;
  shoppers: number;
  slates: number;
  impressions: number;
  clicks: number;
  purchases: number;
  revenue: number;
  trafficShare: number;
  ctr: MetricInterval;
  conversion: MetricInterval;
  revenuePerShopper: MetricInterval;
  comparisons: ArmComparison[];
  guardrails: GuardrailCheck[];
}

export interface SampleRatioCheck {
  observed: number[];
  expected: number[];
  chiSquare: number;
  pValue: number;
  mismatch: boolean;
}

export interface ExperimentAnalysis<A extends ArmDesign = ArmDesign> {
  confidence: number;
  arms: ArmResult<A>[];
  /** Null for ADAPTIVE allocation, whose split moves on purpose. */
  sampleRatio: SampleRatioCheck | null;
  winner: A | null;
  verdict: string;
}

/** One shopper's figures in one arm: the unit of randomisation, so every interval is per shopper. */
export interface ShopperUnit {
  arm: number;
  /** The arm's probability for this shopper when they were enrolled. */
  propensity: number;
  slates: number;
  impressions: number;
  clicks: number;
  purchases: number;
  revenue: number;
}

/** Guardrail figures of one arm, measured on the same number of latest slates for every arm. */
export interface ArmGuardrails {
  /** Mean over slates, with its standard error. */
  diversity: MetricEstimate | null;
  /** Share of the indexed catalogue the slates showed, with a bootstrap standard error over slates. */
  coverage: MetricEstimate | null;
}

/**
 * A treatment may lose this share of the control's diversity or coverage before it is breached,
 * and only a significant loss counts (a one-sided non-inferiority test at the experiment's
 * confidence): over a few dozen slates both figures are noisy, and a bare 10% dip would stop good
 * arms by chance.
 */
export const GUARDRAIL_TOLERANCE = 0.1;
/** No verdict before every arm has this many shoppers: the normal approximation needs them. */
export const MIN_SHOPPERS_PER_ARM = 20;

const METRICS = [ExperimentMetric.CTR, ExperimentMetric.CONVERSION, ExperimentMetric.REVENUE_PER_SHOPPER] as const;

/**
 * Per-arm estimates weight each shopper by 1 / the probability of their arm (Hájek): with a FIXED
 * split the weights are constant within an arm and the estimates are the plain ones; with an
 * ADAPTIVE split they undo the allocation's drift toward the arm that looked better, so each arm's
 * figure still describes all shoppers.
 */
function armEstimates(units: readonly ShopperUnit[]): Record<ExperimentMetric, MetricEstimate> {
  const weighted = (value: (unit: ShopperUnit) => number, base: (unit: ShopperUnit) => number) =>
    ratioMetric(units.map((unit) => ({ numerator: value(unit) / unit.propensity, denominator: base(unit) / unit.propensity })));
  return {
    [ExperimentMetric.CTR]: weighted(
      (unit) => unit.clicks,
      (unit) => unit.impressions,
    ),
    [ExperimentMetric.CONVERSION]: weighted(
      (unit) => (unit.purchases > 0 ? 1 : 0),
      () => 1,
    ),
    [ExperimentMetric.REVENUE_PER_SHOPPER]: weighted(
      (unit) => unit.revenue,
      () => 1,
    ),
  };
}

const interval = (estimate: MetricEstimate, z: number): MetricInterval => ({
  value: estimate.value,
  standardError: estimate.standardError,
  lower: estimate.value - z * estimate.standardError,
  upper: estimate.value + z * estimate.standardError,
});

const sum = (units: readonly ShopperUnit[], field: keyof ShopperUnit) => units.reduce((total, unit) => total + unit[field], 0);

/** Per-arm metrics with intervals, comparisons with the control, the sample-ratio check, guardrails and the verdict. */
export function computeResults<A extends ArmDesign>(
  experiment: ExperimentDesign<A>,
  units: readonly ShopperUnit[],
  guardrails: readonly ArmGuardrails[],
  trafficShares: readonly number[],
  confidence: number,
): ExperimentAnalysis<A> {
  const alpha = 1 - confidence;
  const z = normalQuantile(1 - alpha / 2);
  const byArm = experiment.arms.map((arm) => units.filter((unit) => unit.arm === arm.index));
  const estimates = byArm.map(armEstimates);

  // Holm over the treatments, per metric: k − 1 comparisons with the control share one error rate.
  const comparisons = new Map<number, ArmComparison[]>();
  for (const metric of METRICS) {
    const raw = experiment.arms.slice(1).map((arm) => compareMetric(estimates[0]![metric], estimates[arm.index]![metric], confidence));
    const adjusted = holm(raw.map((comparison) => comparison.pValue));
    raw.forEach((comparison, i) => {
      const list = comparisons.get(i + 1) ?? [];
      list.push({ metric, ...comparison, adjustedPValue: adjusted[i]!, significant: adjusted[i]! < alpha });
      comparisons.set(i + 1, list);
    });
  }

  const control = guardrails[0];
  const zOneSided = normalQuantile(confidence);
  const margin = 1 - GUARDRAIL_TOLERANCE;
  const check = (index: number, guardrail: Guardrail, value: MetricEstimate | null, base: MetricEstimate | null): GuardrailCheck => ({
    guardrail,
    value: value?.value ?? null,
    standardError: value?.standardError ?? null,
    // Upper bound of (treatment − margin × control) below zero: clearly more than the tolerated loss.
    breached:
      index > 0 &&
      value !== null &&
      base !== null &&
      value.value - margin * base.value + zOneSided * Math.hypot(value.standardError, margin * base.standardError) < 0,
  });
  const checks = (index: number): GuardrailCheck[] => [
    check(index, Guardrail.DIVERSITY, guardrails[index]?.diversity ?? null, control?.diversity ?? null),
    check(index, Guardrail.COVERAGE, guardrails[index]?.coverage ?? null, control?.coverage ?? null),
  ];

  const arms: ArmResult<A>[] = experiment.arms.map((arm, index) => ({
    arm,
    shoppers: byArm[index]!.length,
    slates: sum(byArm[index]!, 'slates'),
    impressions: sum(byArm[index]!, 'impressions'),
    clicks: sum(byArm[index]!, 'clicks'),
    purchases: sum(byArm[index]!, 'purchases'),
    revenue: Math.round(sum(byArm[index]!, 'revenue') * 100) / 100,
    trafficShare: trafficShares[index] ?? 0,
    ctr: interval(estimates[index]![ExperimentMetric.CTR], z),
    conversion: interval(estimates[index]![ExperimentMetric.CONVERSION], z),
    revenuePerShopper: interval(estimates[index]![ExperimentMetric.REVENUE_PER_SHOPPER], z),
    comparisons: comparisons.get(index) ?? [],
    guardrails: checks(index),
  }));

  const sampleRatio =
    experiment.allocation === ExperimentAllocation.FIXED
      ? (() => {
          const observed = arms.map((arm) => arm.shoppers);
          const total = observed.reduce((a, b) => a + b, 0);
          const test = sampleRatioMismatch(
            observed,
            experiment.arms.map((arm) => arm.share),
          );
          return {
            observed,
            expected: experiment.arms.map((arm) => arm.share * total),
            chiSquare: test.chiSquare,
            pValue: test.pValue,
            mismatch: test.mismatch,
          };
        })()
      : null;

  const { winner, verdict } = judge(experiment, arms, sampleRatio?.mismatch ?? false);
  return { confidence, arms, sampleRatio, winner, verdict };
}

function judge<A extends ArmDesign>(
  experiment: ExperimentDesign<A>,
  arms: readonly ArmResult<A>[],
  mismatch: boolean,
): Pick<ExperimentAnalysis<A>, 'winner' | 'verdict'> {
  const metric = experiment.primaryMetric;
  const name = METRIC_NAMES[metric];
  if (mismatch) return { winner: null, verdict: 'Sample ratio mismatch: the arms do not hold the shoppers their shares promise, so no result can be trusted.' };
  const thin = arms.filter((arm) => arm.shoppers < MIN_SHOPPERS_PER_ARM);
  if (thin.length > 0) {
    return {
      winner: null,
      verdict: `Collecting data: every arm needs ${MIN_SHOPPERS_PER_ARM} shoppers (${thin.map((arm) => `${arm.arm.name} has ${arm.shoppers}`).join(', ')}).`,
    };
  }
  const on = (arm: ArmResult<A>) => arm.comparisons.find((comparison) => comparison.metric === metric)!;
  const better = arms.slice(1).filter((arm) => on(arm).significant && on(arm).difference > 0);
  const breached = (arm: ArmResult<A>) => arm.guardrails.filter((check) => check.breached).map((check) => check.guardrail.toLowerCase());
  if (better.length > 0) {
    const best = better.reduce((a, b) => (on(b).difference > on(a).difference ? b : a));
    const lift = on(best).relativeLift;
    const liftText = lift === null ? '' : ` (${lift >= 0 ? '+' : ''}${(lift * 100).toFixed(1)}%)`;
    if (breached(best).length > 0) {
      return {
        winner: null,
        verdict: `${best.arm.name} beats ${arms[0]!.arm.name} on ${name}${liftText} but breaches the ${breached(best).join(' and ')} guardrail.`,
      };
    }
    return {
      winner: best.arm,
      verdict: `${best.arm.name} beats ${arms[0]!.arm.name} on ${name}${liftText}, p = ${on(best).adjustedPValue.toPrecision(2)} (Holm-adjusted).`,
    };
  }
  if (arms.slice(1).every((arm) => on(arm).significant && on(arm).difference < 0)) {
    return { winner: arms[0]!.arm, verdict: `${arms[0]!.arm.name} (control) beats every other arm on ${name}.` };
  }
  return { winner: null, verdict: `No significant difference on ${name} yet.` };
}

const METRIC_NAMES: Record<ExperimentMetric, string> = {
  [ExperimentMetric.CTR]: 'click-through rate',
  [ExperimentMetric.CONVERSION]: 'conversion',
  [ExperimentMetric.REVENUE_PER_SHOPPER]: 'revenue per shopper',
};

/** Bootstrap resamples behind coverage's standard error. */
const COVERAGE_RESAMPLES = 200;

/** The catalogue the guardrails measure slates against (the product vector index). */
export interface SlateCatalogue {
  /** Products in the catalogue. */
  size: number;
  has(productId: string): boolean;
  vectorOf(productId: string): Vector | null;
}

/**
 * Share of the catalogue the slates showed, with a standard error from resampling the slates
 * (seeded, so the same slates give the same figure): how much the figure would move with another
 * draw of as many slates from the same policy. Products outside the catalogue (not embedded yet,
 * or gone) are left out of both sides of the share.
 */
export function slateCoverage(catalogue: SlateCatalogue, slates: readonly (readonly string[])[]): MetricEstimate | null {
  if (catalogue.size === 0 || slates.length === 0) return null;
  const share = (sample: Iterable<readonly string[]>) => {
    const shown = new Set<string>();
    for (const slate of sample) for (const productId of slate) if (catalogue.has(productId)) shown.add(productId);
    return shown.size / catalogue.size;
  };
  const rng = seededRng(1);
  const resampled = Array.from({ length: COVERAGE_RESAMPLES }, () => share(Array.from(slates, () => slates[Math.floor(rng() * slates.length)]!)));
  const mean = resampled.reduce((a, b) => a + b, 0) / resampled.length;
  const variance = resampled.reduce((total, value) => total + (value - mean) ** 2, 0) / (resampled.length - 1);
  return { value: share(slates), standardError: Math.sqrt(variance), units: slates.length };
}

/**
 * Mean over slates of 1 − their intra-list similarity, with its standard error over slates (so
 * the guardrail can tell a real loss from noise); slates with under two known vectors are skipped.
 */
export function slateDiversity(catalogue: Pick<SlateCatalogue, 'vectorOf'>, slates: readonly (readonly string[])[]): MetricEstimate | null {
  const perSlate: number[] = [];
  for (const slate of slates) {
    const vectors = slate.flatMap((productId) => {
      const vector = catalogue.vectorOf(productId);
      return vector ? [vector] : [];
    });
    if (vectors.length >= 2) perSlate.push(1 - intraListSimilarity(vectors));
  }
  return perSlate.length > 0 ? meanMetric(perSlate) : null;
}
