/**
 * pnpm bench:policy — what Thompson sampling's slate costs and how close its logged propensities
 * are to the truth, by Monte Carlo samples (BENCH_SAMPLES, default 4,8,16,32,64) and candidate
 * count (BENCH_CANDIDATES, default 200,400: a slate's pool without and with the sequence source).
 *
 * The policy is the HOME slot's default (thompson at exploration 0.15, MMR λ 0.8, 20 items). The
 * candidates are synthetic but shaped like a slate's: fused scores spread over [0, 1] with few
 * high ones, 192-dimension unit vectors around 12 topics, and for 60 % of them arm statistics
 * (impressions log-normal around 150, click rates of 1–4 % rising with the score).
 *
 * Cost: chooseSlate's CPU time per slate (this process's; wall time on this kind of machine drifts
 * by a third within minutes), BENCH_ROUNDS (3) rounds of BENCH_SECONDS (2) per setting, alternating
 * the settings; the median of the rounds, and with a baseline the median of each round's ratio to
 * it, which drift in the machine's speed moves least. Accuracy: BENCH_SLATES (8) slates
 * per setting; at every position the served item's logged propensity p̂ is compared with its
 * probability p given the items above, estimated with BENCH_TRUTH_SAMPLES (1000) samples
 * (`Policy.probability`). Reported: the relative RMSE of p̂, the mean of p̂/p (1 = unbiased), the
 * mean of p/p̂ (what an inverse-propensity weight is inflated by on average) and the share of
 * positions off by more than half. With BENCH_BASELINE_ROOT=<another checkout>, that checkout's
 * Thompson sampling at its default samples runs beside, on the same candidates, in the same rounds.
 *
 * Progress on stderr; a table, then as its last line one JSON object on stdout.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MIN_PRIOR_STRENGTH, normalise, sampleNormal, seededRng, thompsonSampling, type ArmStats, type Policy, type PolicyCandidate } from '@serendip/recsys';
import { median, printColumns } from './harness';

const EXPLORATION = 0.15;
const DIVERSITY = 0.8;
const SLATE_SIZE = 20;
const DIMENSION = 192;
const TOPICS = 12;

const list = (value: string | undefined, fallback: string) => (value ?? fallback).split(',').map(Number);
const SAMPLES = list(process.env.BENCH_SAMPLES, '4,8,16,32,64');
const CANDIDATES = list(process.env.BENCH_CANDIDATES, '200,400');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const SLATES = Number(process.env.BENCH_SLATES ?? 8);
const TRUTH_SAMPLES = Number(process.env.BENCH_TRUTH_SAMPLES ?? 1000);
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;

interface Setting {
  name: string;
  policy: Policy;
}

interface Accuracy {
  positions: number;
  relativeRmse: number;
  meanRatio: number;
  meanInverseRatio: number;
  offByHalf: number;
}

/** A slate's candidate pool and its arm statistics, seeded by its size. */
function pool(size: number): { candidates: PolicyCandidate[]; stats: Map<string, ArmStats> } {
  const rng = seededRng(size);
  const topics = Array.from({ length: TOPICS }, () => normalise(Array.from({ length: DIMENSION }, () => sampleNormal(rng))));
  const candidates = Array.from({ length: size }, (_, i) => {
    const topic = topics[i % TOPICS]!;
    return {
      id: `p${i}`,
      // Few high fused scores, many low ones: the shape of min–max-normalised retrieval scores.
      score: rng() ** 2,
      features: [],
      vector: normalise(topic.map((value) => value + 0.08 * sampleNormal(rng))),
    };
  });
  const stats = new Map<string, ArmStats>();
  for (const candidate of candidates) {
    if (rng() >= 0.6) continue;
    const impressions = Math.round(Math.exp(Math.log(150) + sampleNormal(rng)));
    const rate = 0.01 + 0.03 * candidate.score;
    let clicks = 0;
    for (let i = 0; i < impressions; i++) if (rng() < rate) clicks++;
    stats.set(candidate.id, { impressions, clicks });
  }
  return { candidates, stats };
}

/** CPU milliseconds per slate over `seconds` of back-to-back slates. */
function timeSlates(policy: Policy, candidates: readonly PolicyCandidate[], stats: Map<string, ArmStats>, seconds: number): number {
  const ctx = { rng: Math.random, stats, diversity: DIVERSITY };
  const started = performance.now();
  const cpu = process.cpuUsage();
  let slates = 0;
  while (performance.now() - started < seconds * 1000) {
    policy.chooseSlate(candidates, SLATE_SIZE, ctx);
    slates++;
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / slates;
}

/** Each served item's logged propensity against its probability given the items above it. */
function accuracy(policy: Policy, truth: Policy, candidates: readonly PolicyCandidate[], stats: Map<string, ArmStats>): Accuracy {
  const ratios: number[] = [];
  const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  for (let slate = 0; slate < SLATES; slate++) {
    const served = policy.chooseSlate(candidates, SLATE_SIZE, { rng: seededRng(1000 + slate), stats, diversity: DIVERSITY });
    served.forEach((item, rank) => {
      const above = served.slice(0, rank).map((earlier) => byId.get(earlier.id)!);
      const taken = new Set(above.map((candidate) => candidate.id));
      const remaining = candidates.filter((candidate) => !taken.has(candidate.id));
      const position = remaining.findIndex((candidate) => candidate.id === item.id);
      const p = truth.probability(position, remaining, above, { rng: seededRng(5000 + slate * SLATE_SIZE + rank), stats, diversity: DIVERSITY });
      ratios.push(item.propensity / p);
    });
  }
  const mean = (values: readonly number[]) => values.reduce((total, value) => total + value, 0) / values.length;
  return {
    positions: ratios.length,
    relativeRmse: Math.sqrt(mean(ratios.map((ratio) => (ratio - 1) ** 2))),
    meanRatio: mean(ratios),
    meanInverseRatio: mean(ratios.map((ratio) => 1 / ratio)),
    offByHalf: ratios.filter((ratio) => Math.abs(ratio - 1) > 0.5).length / ratios.length,
  };
}

async function main(): Promise<void> {
  const priorStrength = MIN_PRIOR_STRENGTH / EXPLORATION;
  const settings: Setting[] = SAMPLES.map((samples) => ({ name: `rao-blackwell ${samples}`, policy: thompsonSampling({ priorStrength, samples }) }));
  if (BASELINE_ROOT) {
    const baseline = (await import(resolve(BASELINE_ROOT, 'packages/recsys/src/index.ts'))) as { thompsonSampling: typeof thompsonSampling };
    const policy = baseline.thompsonSampling({ priorStrength });
    settings.push({ name: `baseline ${policy.params.samples}`, policy });
  }
  const truth = thompsonSampling({ priorStrength, samples: TRUTH_SAMPLES });
  const load = loadavg()[0]!;
  console.error(`bench: load ${load.toFixed(2)}; ${settings.map((setting) => setting.name).join(', ')} at ${CANDIDATES.join(', ')} candidates`);
  const results = [];
  for (const size of CANDIDATES) {
    const { candidates, stats } = pool(size);
    const times = new Map(settings.map((setting) => [setting.name, [] as number[]]));
    for (const setting of settings) timeSlates(setting.policy, candidates, stats, 0.5);
    for (let round = 0; round < ROUNDS; round++) {
      console.error(`bench: ${size} candidates, timing round ${round + 1}/${ROUNDS}`);
      for (const setting of round % 2 ? [...settings].reverse() : settings)
        times.get(setting.name)!.push(timeSlates(setting.policy, candidates, stats, SECONDS));
    }
    const baselineTimes = times.get(settings.at(-1)!.name)!;
    for (const setting of settings) {
      console.error(`bench: ${size} candidates, ${setting.name}: propensities of ${SLATES} slates against ${TRUTH_SAMPLES}-sample estimates`);
      const own = times.get(setting.name)!;
      results.push({
        candidates: size,
        setting: setting.name,
        cpu_ms_per_slate: median(own),
        rounds_cpu_ms: own,
        over_baseline: BASELINE_ROOT ? median(own.map((time, round) => time / baselineTimes[round]!)) : null,
        ...accuracy(setting.policy, truth, candidates, stats),
      });
    }
  }
  printColumns(
    ['candidates', 'setting', 'CPU ms/slate', '× baseline', 'rel. RMSE of p̂', 'mean p̂/p', 'mean p/p̂', 'off by > 50%'],
    results.map((row) => [
      String(row.candidates),
      row.setting,
      row.cpu_ms_per_slate.toFixed(3),
      row.over_baseline === null ? '-' : row.over_baseline.toFixed(2),
      row.relativeRmse.toFixed(3),
      row.meanRatio.toFixed(3),
      row.meanInverseRatio.toFixed(3),
      `${(100 * row.offByHalf).toFixed(1)}%`,
    ]),
  );
  console.log(
    JSON.stringify({
      bench: 'policy',
      policy: 'thompson',
      exploration: EXPLORATION,
      diversity: DIVERSITY,
      slate_size: SLATE_SIZE,
      truth_samples: TRUTH_SAMPLES,
      slates: SLATES,
      loadavg_1m: load,
      baseline_root: BASELINE_ROOT ?? null,
      results,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
