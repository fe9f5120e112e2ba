import { performance } from 'node:perf_hooks';

/**
 * The steps a slate takes, in order, as `serendip_slate_step_seconds{step}` names them: what a
 * profile of the slate's cost is broken down by.
 * - `signals`: the shopper's consent, events, interest profile and segment (SQL);
 * - `arm`: the experiment arm the shopper is in, if any;
 * - `candidate-queries`: co-occurrence, transitions and trending (SQL);
 * - `ann-search`: the product index's nearest neighbours of each interest, the sequence model's
 *   inner-product search and the newest products (in memory);
 * - `fusion`: one exploit score per candidate and the policy's context features;
 * - `policy`: the bandit's sampling and MMR diversity;
 * - `reasons`: a reason per item;
 * - `log`: the slate and its items written with their propensities (SQL);
 * - `bandit`: the arm statistics' bookkeeping of what was served;
 * - `mapping`: the GraphQL shape.
 */
export const SLATE_STEPS = ['signals', 'arm', 'candidate-queries', 'ann-search', 'fusion', 'policy', 'reasons', 'log', 'bandit', 'mapping'] as const;
export type SlateStep = (typeof SLATE_STEPS)[number];

/** Told how long each step of each slate took, in seconds. */
export type SlateStepObserver = (step: SlateStep, seconds: number) => void;

/** Runs `work` and tells `observe` its duration, also when it fails (a failed step's time is cost too). */
export async function timeStep<T>(observe: SlateStepObserver | undefined, step: SlateStep, work: () => T | Promise<T>): Promise<T> {
  if (!observe) return work();
  const started = performance.now();
  try {
    return await work();
  } finally {
    observe(step, (performance.now() - started) / 1000);
  }
}
